package io.stockade.agent.kernel;

import io.stockade.agent.Shell;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Empty network namespaces with unique names ({@code PREFIX + random + -a, -b, ...}), deleted on close. */
final class Namespaces implements AutoCloseable {
    private static final Shell ROOT = new Shell(null);
    private final List<String> names = new ArrayList<>();

    private Namespaces(String prefix, int count) {
        String tag = prefix + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        for (int i = 0; i < count; i++) {
            String name = tag + "-" + (char) ('a' + i);
            ROOT.run(null, "ip", "netns", "add", name);
            names.add(name);
        }
    }

    static Namespaces create(String prefix, int count) {
        return new Namespaces(prefix, count);
    }

    String get(int i) {
        return names.get(i);
    }

    @Override
    public void close() {
        names.forEach(n -> ROOT.run(null, "ip", "netns", "del", n));
    }
}
