/// AES-256 in the two modes this program uses: GCM for everything new, CBC for RNCryptor.
public enum AES {}
