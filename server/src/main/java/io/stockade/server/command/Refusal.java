package io.stockade.server.command;

/**
 * Why a command is not carried out, in the domain's words: the operations throw one of these
 * kinds, never an HTTP status. The HTTP layers map each kind to their status and error body in
 * one place ({@code ApiException.of}); the message is for people and reaches them unchanged.
 * Each kind has one constructor: with the field for the kinds that name one, without for those that
 * never do; {@link #about} and {@link #within} copy a refusal of any kind (a shallow clone, the
 * kind and any rule-text position kept) to place it in a larger request.
 */
public abstract sealed class Refusal extends RuntimeException implements Cloneable {
    private String field;
    private String message;

    private Refusal(String field, String message) {
        super(message);
        this.field = field;
        this.message = message;
    }

    /** The request field the refusal concerns, or null. */
    public String field() {
        return field;
    }

    @Override
    public String getMessage() {
        return message;
    }

    /** The same refusal about another field (an item of a list the request gave, say), with the same message. */
    public Refusal about(String other) {
        return copy(other, message);
    }

    /** The same refusal of one object of a larger request: its field under {@code where}, its message led by {@code what}. */
    public Refusal within(String where, String what) {
        return copy(field == null ? where : where + "." + field, what + ": " + message);
    }

    /** This refusal, of the same kind (and rule-text position), about field {@code f} with message {@code m}. */
    private Refusal copy(String f, String m) {
        try {
            Refusal r = (Refusal) clone();
            r.field = f;
            r.message = m;
            return r;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("a refusal is Cloneable", e);
        }
    }

    /** A request that cannot be read as the command (a missing or mistyped field). */
    public static final class Malformed extends Refusal {
        public Malformed(String field, String message) {
            super(field, message);
        }
    }

    /** A well-formed value the model does not accept. */
    public static final class Invalid extends Refusal {
        public Invalid(String field, String message) {
            super(field, message);
        }
    }

    /** Rule text with errors: every error in the message, the first one's line and column. */
    public static final class InvalidRuleText extends Refusal {
        private final int line;
        private final int column;

        public InvalidRuleText(String field, String message, int line, int column) {
            super(field, message);
            this.line = line;
            this.column = column;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }
    }

    /** No object of that kind and id or name that the caller may see (an invisible object is not found, never forbidden). */
    public static final class NotFound extends Refusal {
        public NotFound(String field, String message) {
            super(field, message);
        }

        /** Of an object of kind {@code what} named {@code token}. */
        public static NotFound of(String what, String token) {
            return new NotFound(null, "no " + what + " '" + token + "'");
        }
    }

    /** The command contradicts the world as it is (in use, exists, would mix, …). */
    public static final class Conflict extends Refusal {
        public Conflict(String field, String message) {
            super(field, message);
        }
    }

    /** More of a resource than the project's quota allows; the field names the resource. */
    public static final class OverQuota extends Refusal {
        public OverQuota(String field, String message) {
            super(field, message);
        }
    }

    /** The caller's role or project does not allow this, or (a field given) does not allow that field. */
    public static final class Forbidden extends Refusal {
        public Forbidden(String field, String message) {
            super(field, message);
        }
    }

    /** A rule its group has already. */
    public static final class DuplicateRule extends Refusal {
        public DuplicateRule(String message) {
            super(null, message);
        }
    }

    /** A name that matches several objects the caller may see. */
    public static final class Ambiguous extends Refusal {
        public Ambiguous(String message) {
            super(null, message);
        }
    }

    /** The caller's credentials no longer stand for anyone (its project is gone). */
    public static final class Unauthenticated extends Refusal {
        public Unauthenticated(String message) {
            super(null, message);
        }
    }

    /** The store kept changing under this controller; the same command may succeed later. */
    public static final class Busy extends Refusal {
        public Busy(String message) {
            super(null, message);
        }
    }
}
