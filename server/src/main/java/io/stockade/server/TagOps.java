package io.stockade.server;

import io.stockade.core.model.World;
import io.stockade.server.command.Refusal;
import io.stockade.server.command.TagCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * Neutron's tags, changed as commands: the object found among those the caller sees, the caller's
 * right to tag it checked once (an admin, or a member of the object's own project: a global
 * object is an admin's), then the whole new list written in one revision.
 */
public final class TagOps {
    private final Controller ctl;

    public TagOps(Controller ctl) {
        this.ctl = ctl;
    }

    /** The object's tags after the command, sorted and without duplicates. */
    public List<String> apply(Caller c, TagCommand command) {
        World w = ctl.world();
        record Tagged(String id, String projectId) {}
        Tagged t = switch (command.kind()) {
            case GROUP -> {
                var g = Resolve.group(w, c, command.object());
                yield new Tagged(g.id(), g.projectId());
            }
            case IP_SET -> {
                var s = Resolve.ipSet(w, c, command.object());
                yield new Tagged(s.id(), s.projectId());
            }
            case VNIC -> {
                var v = Resolve.vnic(w, c, command.object());
                yield new Tagged(v.id(), v.projectId());
            }
        };
        if (!c.admin() && !t.projectId().equals(c.projectId())) {
            throw new Refusal.Forbidden(null, "only an admin may tag objects of other projects or global ones");
        }
        List<String> now = ctl.tags(t.id());
        List<String> next = switch (command) {
            case TagCommand.SetTags s -> s.tags();
            case TagCommand.AddTag a -> {
                List<String> more = new ArrayList<>(now);
                more.add(a.tag());
                yield more;
            }
            case TagCommand.RemoveTag r -> {
                if (!now.contains(r.tag())) {
                    throw new Refusal.NotFound("tag", "Tag " + r.tag() + " could not be found.");
                }
                yield now.stream().filter(x -> !x.equals(r.tag())).toList();
            }
        };
        return ctl.setTags(c, t.id(), t.projectId(), next);
    }
}
