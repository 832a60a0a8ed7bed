/// A busy indicator that advances one frame per tick.
public struct Spinner: Hashable, Sendable {
    public var frames: [Character]

    public init(frames: [Character]) {
        precondition(!frames.isEmpty, "a spinner needs at least one frame")
        self.frames = frames
    }

    /// Braille dots, one cell wide.
    public static let dots = Spinner(frames: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"])
    /// For terminals without Unicode fonts.
    public static let ascii = Spinner(frames: ["|", "/", "-", "\\"])

    /// The frame to show at tick number `tick` (any integer, negative included).
    public func frame(at tick: Int) -> Character {
        let n = frames.count
        return frames[((tick % n) + n) % n]
    }
}
