package io.stockade.server.command;

import java.util.List;

/**
 * Neutron's tags of a security group, ip set (address group) or vnic (port): the tenant's own labels, revisioned
 * like the world but beside it. The object is named by a token (a Neutron UUID, an id or a unique
 * name) of its kind; tags are already checked for form (1 to 60 characters).
 */
public sealed interface TagCommand extends Command {
    /** The kinds of object that carry tags. */
    enum Tagged { GROUP, IP_SET, VNIC }

    /** The kind of the tagged object. */
    Tagged kind();

    /** The tagged object's token. */
    String object();

    /** Replaces every tag of the object (none: removes them all). */
    record SetTags(Tagged kind, String object, List<String> tags) implements TagCommand {
        public SetTags {
            tags = List.copyOf(tags);
        }
    }

    /** Adds one tag (one the object has already is kept once). */
    record AddTag(Tagged kind, String object, String tag) implements TagCommand {}

    /** Removes one tag the object has (one it lacks is not found). */
    record RemoveTag(Tagged kind, String object, String tag) implements TagCommand {}
}
