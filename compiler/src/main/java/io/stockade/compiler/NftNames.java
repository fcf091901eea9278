package io.stockade.compiler;

/** Chain and set names derived from Stockade ids, so a delta can name them without a lookup. */
final class NftNames {
    private NftNames() {}

    static String of(String... parts) {
        return String.join("_", parts).replace('-', '_').replace('.', '_');
    }

    static String quote(String device) {
        return "\"" + device + "\"";
    }
}
