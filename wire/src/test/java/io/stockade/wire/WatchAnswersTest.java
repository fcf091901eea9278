package io.stockade.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.model.SliceDiff;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.testing.RandomWorlds;
import io.stockade.core.testing.TestWorld;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class WatchAnswersTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final WorldJson json = new WorldJson(mapper);
    /** One for every try, as the server has one: the texts it keeps come from earlier tries' objects too. */
    private final WatchAnswers answers = new WatchAnswers(mapper, json);

    /**
     * The answer as the tree model writes it, the envelope around {@link WorldJson#write} or
     * {@link WorldJson#writeDiff}, as an agent reads it (numbers as parsed, not as put).
     */
    private JsonNode expected(WatchHub.Update u) throws Exception {
        ObjectNode o = mapper.createObjectNode().put("host", u.hostId()).put("revision", u.revision()).put("full", u.full());
        o.set(u.full() ? "world" : "diff", u.full() ? json.write(u.snapshot()) : json.writeDiff(u.diff()));
        return mapper.readTree(mapper.writeValueAsString(o));
    }

    private JsonNode sent(WatchHub.Update u) throws Exception {
        return mapper.readTree(answers.text(u));
    }

    /** Between random worlds both ways, each answer twice (the second from the kept texts): what the tree model writes. */
    @Property(tries = 200)
    void answersAreWhatTheTreeModelWrites(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        World a = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4))).atRevision(3);
        World b = RandomWorlds.withExtraRule(RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4))), r).atRevision(4);
        for (WatchHub.Update u : List.of(new WatchHub.Update("h-1", 4, null, SliceDiff.between(a, b)), new WatchHub.Update("h-2", 3, null, SliceDiff.between(b, a)),
                new WatchHub.Update("h-1", 4, b, null))) {
            assertThat(sent(u)).isEqualTo(expected(u));
            assertThat(sent(u)).as("again, from the kept texts").isEqualTo(expected(u));
        }
    }

    /** A vnic changed after its text was kept is sent as it is now: texts are kept by identity, not by id or equality. */
    @Test
    void aChangedObjectIsWrittenAgain() throws Exception {
        World w = TestWorld.wakame().group("sg-a").group("sg-b").vnic("vif-1", "sg-a").build();
        Vnic before = w.vnics().get("vif-1");
        Vnic after = before.withGroups(List.of("sg-b"));
        World without = w.apply(WorldChange.builder().remove("vif-1").build());
        WatchHub.Update first = new WatchHub.Update(TestWorld.HOST, 2, null, SliceDiff.between(without, w));
        WatchHub.Update second = new WatchHub.Update(TestWorld.HOST, 3, null,
                SliceDiff.between(w, w.apply(WorldChange.builder().vnic(after).build()).atRevision(3)));
        assertThat(sent(first).path("diff").path("upserts").path("vnics").get(0).path("securityGroups").get(0).asText()).isEqualTo("sg-a");
        JsonNode answer = sent(second);
        assertThat(answer).isEqualTo(expected(second));
        assertThat(answer.path("diff").path("upserts").path("vnics").get(0).path("securityGroups").get(0).asText()).isEqualTo("sg-b");
    }

    /** Ids that JSON must escape (quotes, backslashes, control and non-ASCII characters) come back as they were. */
    @Test
    void idsAreEscaped() throws Exception {
        World w = TestWorld.wakame().group("sg-a").vnic("vif-1", "sg-a").build();
        SliceDiff d = new SliceDiff(5, w.policy(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(w.vnics().get("vif-1")),
                java.util.Set.of("vif-\"q\"", "vif-\\b", "vif-\n\u0001", "vif-ü€"));
        WatchHub.Update u = new WatchHub.Update("h-\"\\\tß", 5, null, d);
        JsonNode answer = sent(u);
        assertThat(answer).isEqualTo(expected(u));
        assertThat(answer.path("host").asText()).isEqualTo("h-\"\\\tß");
    }
}
