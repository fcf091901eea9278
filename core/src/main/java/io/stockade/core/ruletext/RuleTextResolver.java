package io.stockade.core.ruletext;

import io.stockade.core.net.IpVersion;
import java.util.Optional;

/**
 * Turns the group and ip-set tokens of a rule text ({@code sg-dbclnts}, {@code ips-office}) into
 * ids, and back for printing. The controller resolves by id, then name; {@link #IDENTITY} keeps
 * tokens as ids (for checking text offline).
 */
public interface RuleTextResolver {
    /** An ip set's id and IP version. */
    record IpSetRef(String id, IpVersion version) {}

    Optional<String> groupId(String token);

    /** The ip set; {@code version} may be null when unknown (the text's family then decides). */
    Optional<IpSetRef> ipSet(String token);

    /**
     * How the printer writes a group's id: a token that {@link #groupId} reads back as that same id
     * (such as the group's name where it is unambiguous); by default the id itself.
     */
    default String groupToken(String id) {
        return id;
    }

    /** How the printer writes an ip set's id: a token that {@link #ipSet} reads back as that same set; by default the id. */
    default String ipSetToken(String id) {
        return id;
    }

    RuleTextResolver IDENTITY = new RuleTextResolver() {
        @Override
        public Optional<String> groupId(String token) {
            return Optional.of(token);
        }

        @Override
        public Optional<IpSetRef> ipSet(String token) {
            return Optional.of(new IpSetRef(token, null));
        }
    };
}
