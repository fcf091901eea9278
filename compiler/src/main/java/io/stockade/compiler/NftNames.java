package io.stockade.compiler;

/** Chain and set names derived from Stockade ids, so a delta can name them without a lookup. */
final class NftNames {
    private NftNames() {}

    static String of(String... parts) {
        StringBuilder sb = new StringBuilder(64);
        for (String p : parts) {
            if (sb.length() > 0) {
                sb.append('_');
            }
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                sb.append(c == '-' || c == '.' ? '_' : c);
            }
        }
        return sb.toString();
    }

    static String quote(String device) {
        return "\"" + device + "\"";
    }
}
