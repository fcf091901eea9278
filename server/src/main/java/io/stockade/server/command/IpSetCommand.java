package io.stockade.server.command;

import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import java.util.List;

/**
 * Writes to ip sets and their entries. Ip sets are named by a token (an id or a unique name).
 * Entries to add stay text: the ip set's own bulk add reads them, skipping duplicates and
 * reporting each text it cannot take with its reason; entries to remove are CIDRs.
 */
public sealed interface IpSetCommand extends Command {
    /** An entry as given: its text, and a description (empty when none). */
    record Entry(String text, String description) {}

    /** A new ip set: {@code id} the one asked for (null: a fresh one), {@code project} a token (null: the caller's own). */
    record CreateIpSet(String id, String name, String description, String project, IpVersion version, boolean global, List<Entry> entries)
            implements IpSetCommand {
        public CreateIpSet {
            entries = List.copyOf(entries);
        }
    }

    /** Changes of an ip set's name, description or (while it is empty and unused) version. */
    record UpdateIpSet(String ipSet, Patch<String> name, Patch<String> description, Patch<IpVersion> version) implements IpSetCommand {}

    /** Deletes an ip set no rule uses. */
    record DeleteIpSet(String ipSet) implements IpSetCommand {}

    /** Adds entries: duplicates are skipped, the invalid reported, the valid added. */
    record AddEntries(String ipSet, List<Entry> entries) implements IpSetCommand {
        public AddEntries {
            entries = List.copyOf(entries);
        }
    }

    /** Adds every entry or none (Neutron's {@code add_addresses}): an invalid one or one already there is refused, naming it. */
    record AddEveryEntry(String ipSet, List<String> entries) implements IpSetCommand {
        public AddEveryEntry {
            entries = List.copyOf(entries);
        }
    }

    /** Removes the entries there are of these. */
    record RemoveEntries(String ipSet, List<Cidr> entries) implements IpSetCommand {
        public RemoveEntries {
            entries = List.copyOf(entries);
        }
    }

    /** Removes every entry or none (Neutron's {@code remove_addresses}): one that is not in the set is refused as not found. */
    record RemoveEveryEntry(String ipSet, List<Cidr> entries) implements IpSetCommand {
        public RemoveEveryEntry {
            entries = List.copyOf(entries);
        }
    }
}
