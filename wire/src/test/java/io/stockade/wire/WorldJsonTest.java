package io.stockade.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.core.model.Direction;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Match;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.World;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import io.stockade.core.testing.RandomWorlds;
import io.stockade.core.testing.TestWorld;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class WorldJsonTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final WorldJson json = new WorldJson(mapper);

    @Property(tries = 100)
    void roundTripsRandomWorlds(@ForAll long seed) throws Exception {
        World w = RandomWorlds.world(new Random(seed), RandomWorlds.PROFILES.get((int) Math.floorMod(seed, 4)));
        String text = mapper.writeValueAsString(json.write(w));
        World back = json.read(mapper.readTree(text));
        assertThat(json.write(back)).isEqualTo(json.write(w));
        assertThat(back.groups()).isEqualTo(w.groups());
        assertThat(back.vnics()).isEqualTo(w.vnics());
        assertThat(back.policy()).isEqualTo(w.policy());
    }

    @Property(tries = 100)
    void roundTripsDiffs(@ForAll long a, @ForAll long b) throws Exception {
        World wa = RandomWorlds.world(new Random(a), "wakame");
        World wb = RandomWorlds.world(new Random(b), "openstack").atRevision(9);
        var diff = io.stockade.core.model.SliceDiff.between(wa, wb);
        var back = json.readDiff(mapper.readTree(mapper.writeValueAsString(json.writeDiff(diff))));
        assertThat(back).isEqualTo(diff);
    }

    @Property(tries = 50)
    void aGroupWrittenRuleByRuleIsTheSameDocument(@ForAll long seed) {
        World w = RandomWorlds.world(new Random(seed), RandomWorlds.PROFILES.get((int) Math.floorMod(seed, 4)));
        w.groups().values().forEach(g -> assertThat(json.groupText(g)).isEqualTo(json.group(g).toString()));
    }

    @Test
    void everyMatchAndRemoteKind() {
        IpSet set = new IpSet("ips-a", TestWorld.PROJECT, "a", "", IpVersion.V6, false, List.of(new IpSet.Entry(Cidr.parse("2001:db8::/32", "c"), "docs")));
        World w = TestWorld.wakame().ipSet(set).group("sg-a",
                new Rule("sgr-1", Direction.INGRESS, IpVersion.V6, new Match.Icmp(128, -1), new Remote.IpSetRemote("ips-a"), "ping6"),
                new Rule("sgr-2", Direction.EGRESS, IpVersion.V4, new Match.Protocol(47), new Remote.CidrRemote(Cidr.ANY4), ""),
                new Rule("sgr-3", Direction.INGRESS, IpVersion.V4, new Match.AnyProtocol(), new Remote.GroupRemote("sg-a"), ""),
                new Rule("sgr-4", Direction.INGRESS, IpVersion.V4, new Match.Ports(Match.UDP, 53, 53), new Remote.CidrRemote(Cidr.parse("198.51.100.0/24", "c")), ""))
                .vnic("vif-a1", "sg-a").build();
        JsonNode node = json.write(w);
        World back = json.read(node);
        assertThat(back.groups()).isEqualTo(w.groups());
        assertThat(back.ipSets()).isEqualTo(w.ipSets());
        assertThat(back.networks()).isEqualTo(w.networks());
        assertThat(back.hosts()).isEqualTo(w.hosts());
    }
}
