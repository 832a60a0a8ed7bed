extension PostgresStore {
    /// The shared login role that may only call the prelogin and sign-up functions.
    public static let signupRole = "onions_signup"

    /// The sign-up role's password: public by design (it opens no vault; each vault is a role of
    /// its own with the auth key as its password).
    public static let signupPassword = "onions-signup"
}
