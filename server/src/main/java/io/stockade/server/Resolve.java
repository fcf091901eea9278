package io.stockade.server;

import io.stockade.core.model.Host;
import io.stockade.core.model.Instance;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.server.command.Refusal;
import io.stockade.server.neutron.NeutronIds;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Finds objects by id or unique name among those a caller may see; an invisible object is "not
 * found" (404), never "forbidden", and an ambiguous name lists its candidates.
 */
public final class Resolve {
    private Resolve() {}

    public static SecurityGroup group(World w, Caller c, String token) {
        Predicate<SecurityGroup> visible = g -> c.sees(g.projectId(), g.global());
        return find(w.groups(), "security group", groupToken(w, visible, token), SecurityGroup::id, SecurityGroup::name, visible, true);
    }

    /** A group a rule of a group in {@code projectId} may reference: its own project's or a global one. */
    public static SecurityGroup referencable(World w, Caller c, String projectId, String token) {
        Predicate<SecurityGroup> usable = g -> c.sees(g.projectId(), g.global()) && (g.global() || g.projectId().equals(projectId));
        return find(w.groups(), "security group", groupToken(w, usable, token), SecurityGroup::id, SecurityGroup::name, usable, true);
    }

    public static IpSet ipSet(World w, Caller c, String token) {
        return find(w.ipSets(), "ip set", token, IpSet::id, IpSet::name, s -> c.sees(s.projectId(), s.global()), true);
    }

    public static IpSet usableIpSet(World w, Caller c, String projectId, String token) {
        return find(w.ipSets(), "ip set", token, IpSet::id, IpSet::name,
                s -> c.sees(s.projectId(), s.global()) && (s.global() || s.projectId().equals(projectId)), true);
    }

    public static Vnic vnic(World w, Caller c, String token) {
        return find(w.vnics(), "vnic", token, Vnic::id, Vnic::name, v -> c.sees(v.projectId(), false), false);
    }

    public static Instance instance(World w, Caller c, String token) {
        return find(w.instances(), "instance", token, Instance::id, Instance::name, i -> c.sees(i.projectId(), false), false);
    }

    public static Project project(World w, Caller c, String token) {
        return find(w.projects(), "project", token, Project::id, Project::name, p -> c.sees(p.id(), false), false);
    }

    public static Network network(World w, String token) {
        return find(w.networks(), "network", token, Network::id, Network::name, n -> true, false);
    }

    public static Host host(World w, String token) {
        return find(w.hosts(), "host", token, Host::id, Host::name, h -> true, false);
    }

    private static final java.util.regex.Pattern UUID_FORM = java.util.regex.Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");

    /**
     * The Neutron UUID (what the openstack client shows) of a group the caller may use stands for
     * its Stockade id; any other token is itself, so an error names only what the caller typed.
     */
    private static String groupToken(World w, Predicate<SecurityGroup> usable, String token) {
        if (token == null || !UUID_FORM.matcher(token).matches()) {
            return token;
        }
        String uuid = token.toLowerCase(java.util.Locale.ROOT);
        return w.groups().values().stream().filter(usable).map(SecurityGroup::id).filter(id -> NeutronIds.uuid(id).equals(uuid)).findFirst().orElse(token);
    }

    /**
     * By id (a lookup); else by name (a walk); else (for Wakame-style tokens such as {@code sg-dbclnts}) by the name
     * without its kind prefix.
     */
    static <T> T find(Map<String, T> byId, String what, String token, Function<T, String> id, Function<T, String> name,
            Predicate<T> visible, boolean stripPrefix) {
        if (token == null || token.isBlank()) {
            throw new Refusal.Malformed(null, "a " + what + " id or name is needed");
        }
        T found = byId.get(token);
        if (found != null) {
            if (visible.test(found)) {
                return found;
            }
            throw Refusal.NotFound.of(what, token);
        }
        Collection<T> all = byId.values();
        List<T> named = all.stream().filter(visible).filter(t -> name.apply(t).equals(token)).toList();
        if (named.isEmpty() && stripPrefix && token.indexOf('-') > 0) {
            String bare = token.substring(token.indexOf('-') + 1);
            named = all.stream().filter(visible).filter(t -> name.apply(t).equals(bare)).toList();
        }
        if (named.size() == 1) {
            return named.get(0);
        }
        if (named.isEmpty()) {
            throw Refusal.NotFound.of(what, token);
        }
        throw new Refusal.Ambiguous("the name '" + token + "' matches " + named.size() + " " + what + "s: "
                + String.join(", ", named.stream().map(id).toList()) + "; use an id");
    }
}
