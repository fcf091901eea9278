package io.stockade.server.command;

import io.stockade.server.command.AdminCommand.CreateNetwork;
import io.stockade.server.command.AdminCommand.CreateProject;
import io.stockade.server.command.GroupCommand.CreateGroup;
import io.stockade.server.command.IpSetCommand.CreateIpSet;
import io.stockade.server.command.VnicCommand.CreateVnic;
import java.util.List;
import java.util.Map;

/**
 * A whole world, or what a project's export holds, made in one write (issue 22's bulk import):
 * each object as the command that creates it, with its place in the document, and the ids the
 * document gives (kept; they must be new).
 */
public record ImportCommand(List<Item<CreateProject>> projects, List<Item<CreateNetwork>> networks, List<Item<NewHost>> hosts,
        List<Item<CreateIpSet>> ipSets, List<Item<NewGroup>> groups, List<Item<NewInstance>> instances, List<Item<CreateVnic>> vnics)
        implements Command {
    public ImportCommand {
        projects = List.copyOf(projects);
        networks = List.copyOf(networks);
        hosts = List.copyOf(hosts);
        ipSets = List.copyOf(ipSets);
        groups = List.copyOf(groups);
        instances = List.copyOf(instances);
        vnics = List.copyOf(vnics);
    }

    /** One object of the import: where it is ({@code vnics[12]}) and how errors name it (with its id when it gives one). */
    public record Item<T>(String where, String what, T command) {}

    /** A host with the id it had (null: a fresh one). */
    public record NewHost(String id, String name, String bridge, List<String> uplinks) {
        public NewHost {
            uplinks = List.copyOf(uplinks);
        }
    }

    /** A group and the ids its rules had, by the rule's place in its list. */
    public record NewGroup(CreateGroup group, Map<Integer, String> ruleIds) {
        public NewGroup {
            ruleIds = Map.copyOf(ruleIds);
        }
    }

    /** An instance with the id it had (null: a fresh one) and its project (a token; null: the caller's own). */
    public record NewInstance(String id, String name, String project) {}
}
