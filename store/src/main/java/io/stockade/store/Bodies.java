package io.stockade.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * How an object's JSON document is kept in the store. A document longer than {@link #PACK_CHARS}
 * (a group of thousands of rules: 30,000 rules are ~5 MB of JSON) is kept deflated and in base64
 * behind a {@code deflate:} prefix, which no JSON document starts with: such a write is then a
 * tenth to a fifth of the bytes for the store to write and sync while every other write waits
 * for its commit (issue 21). Packing is done where the change is made, before the commit; the store
 * unpacks what it reads, so its callers see JSON only.
 */
public final class Bodies {
    /** Documents up to this many characters are kept as they are, readable in the database. */
    static final int PACK_CHARS = 16 * 1024;
    private static final String PREFIX = "deflate:";

    private Bodies() {}

    /** The stored form of a JSON document (null stays null: a delete). */
    public static String pack(String json) {
        if (json == null || json.length() <= PACK_CHARS) {
            return json;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length() / 8);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, deflater)) {
            z.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("deflating into memory failed", e);
        } finally {
            deflater.end();
        }
        return PREFIX + Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** The JSON document of a stored form. */
    public static String unpack(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return stored;
        }
        byte[] packed = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        try (InflaterInputStream z = new InflaterInputStream(new java.io.ByteArrayInputStream(packed))) {
            return new String(z.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("a stored document does not inflate: " + e.getMessage(), e);
        }
    }
}
