package io.stockade.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.model.SliceDiff;
import io.stockade.core.policy.Policy;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * A watch answer as JSON text: {@code {"host", "revision", "full", "world" | "diff"}}, the host's
 * slice as {@link WorldJson#write} or the diff as {@link WorldJson#writeDiff} writes it.
 *
 * <p>One change reaches tens of hosts at once, each with the same changed objects: a diff's answer is
 * put together as text around its objects' texts, and each object's text is written once and taken again while
 * it is recent, as is the policy's (kept by identity in a small table, since the world's objects never change; an
 * object that takes another's place in the table is written again when it comes back).
 */
public final class WatchAnswers {
    /** How many objects' texts are kept (a power of two); a change's objects reach all their hosts within a few updates. */
    private static final int RECENT = 4096;
    /** Objects whose text is longer than this (groups of thousands of rules) are written each time, not kept. */
    private static final int KEPT_CHARS = 16 * 1024;

    private record Written(Object object, String text) {}

    private final ObjectMapper mapper;
    private final WorldJson json;
    private final AtomicReferenceArray<Written> recent = new AtomicReferenceArray<>(RECENT);

    public WatchAnswers(ObjectMapper mapper, WorldJson json) {
        this.mapper = mapper;
        this.json = json;
    }

    /** The answer to an agent of its host's update. */
    public String text(WatchHub.Update u) {
        try {
            return u.full() ? full(u) : diff(u);
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON into memory failed", e);
        }
    }

    private String full(WatchHub.Update u) throws IOException {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator gen = mapper.getFactory().createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("host", u.hostId());
            gen.writeNumberField("revision", u.revision());
            gen.writeBooleanField("full", true);
            gen.writeFieldName("world");
            gen.writeTree(json.write(u.snapshot()));
            gen.writeEndObject();
        }
        return out.toString();
    }

    /**
     * A diff's answer, put together as text around its objects' texts (most of them kept): the
     * parts are gathered first, and joined into one string made at its size (no buffer grows, nothing is
     * copied twice).
     */
    private String diff(WatchHub.Update u) throws IOException {
        SliceDiff d = u.diff();
        List<String> parts = new ArrayList<>(32);
        parts.add("{\"host\":");
        parts.add(quoted(u.hostId()));
        parts.add(",\"revision\":" + u.revision() + ",\"full\":false,\"diff\":{\"revision\":" + d.revision() + ",\"policy\":");
        parts.add(text(d.policy(), this::policy));
        parts.add(",\"upserts\":{");
        objects(parts, "\"projects\":[", d.projects(), json::project);
        objects(parts, ",\"groups\":[", d.groups(), json::group);
        objects(parts, ",\"ipSets\":[", d.ipSets(), json::ipSet);
        objects(parts, ",\"networks\":[", d.networks(), json::network);
        objects(parts, ",\"hosts\":[", d.hosts(), json::host);
        objects(parts, ",\"vnics\":[", d.vnics(), json::vnic);
        parts.add("},\"deleted\":[");
        String comma = "";
        for (String id : d.deleted()) {
            parts.add(comma);
            parts.add(quoted(id));
            comma = ",";
        }
        parts.add("]}}");
        return String.join("", parts);
    }

    private static String quoted(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    private ObjectNode policy(Policy p) {
        ObjectNode o = mapper.createObjectNode();
        p.knobs().forEach(o::put);
        return o;
    }

    private <T> void objects(List<String> parts, String opening, List<T> items, Function<T, ObjectNode> write) throws IOException {
        parts.add(opening);
        String comma = "";
        for (T item : items) {
            parts.add(comma);
            parts.add(text(item, write));
            comma = ",";
        }
        parts.add("]");
    }

    /** The object's JSON text: the one kept when this very object was written recently. */
    private <T> String text(T object, Function<T, ObjectNode> write) throws JsonProcessingException {
        int slot = System.identityHashCode(object) & (RECENT - 1);
        Written kept = recent.get(slot);
        if (kept != null && kept.object() == object) {
            return kept.text();
        }
        String text = mapper.writeValueAsString(write.apply(object));
        if (text.length() <= KEPT_CHARS) {
            recent.set(slot, new Written(object, text));
        }
        return text;
    }
}
