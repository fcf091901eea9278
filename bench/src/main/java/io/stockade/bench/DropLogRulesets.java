package io.stockade.bench;

import io.stockade.compiler.Compiler;
import io.stockade.compiler.DropLog;
import io.stockade.compiler.Render;
import io.stockade.core.model.Direction;
import io.stockade.core.model.Match;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The drop-logging benchmark's rulesets: the datapath benchmark's host (server {@code tapa},
 * client {@code tapb}) plus a flooding vnic {@code tapc} (192.0.2.12, in the client group, so
 * its udp to the server's port 9999 is dropped for want of a rule), with the server's drop
 * logging off ({@code droplog-off.nft}) and on ({@code droplog-on.nft}, nflog group 750, the
 * agent's default rate limit).
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.stockade.bench.DropLogRulesets DIR}
 */
public final class DropLogRulesets {
    private DropLogRulesets() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        List<Rule> rules = List.of(
                new Rule("sgr-flow", Direction.INGRESS, IpVersion.V4, new Match.Ports(Match.UDP, 7777, 7777), new Remote.GroupRemote("sg-client"), ""));
        World base = Rulesets.world(rules);
        Vnic flooder = new Vnic("vif-c", "p-bench", "", null, "h-bench", "tapc", MacAddress.parse("52:54:00:00:00:0c", "m"),
                List.of(Ip.parse("192.0.2.12", "a")), "net-bench", List.of("sg-client"), true);
        World off = base.toBuilder().vnic(flooder).build();
        World on = off.toBuilder().vnic(off.vnics().get("vif-a").withLogDrops(true)).build();
        Files.writeString(dir.resolve("droplog-off.nft"), Render.full(Compiler.compile(off, "h-bench", DropLog.DEFAULTS)));
        Files.writeString(dir.resolve("droplog-on.nft"), Render.full(Compiler.compile(on, "h-bench", DropLog.DEFAULTS)));
    }
}
