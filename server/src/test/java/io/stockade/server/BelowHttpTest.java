package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.server.command.Command;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Below the HTTP layer nothing speaks HTTP: the commands, their refusals and the operations that
 * carry them out refer neither to {@link Body} (a request's JSON) nor to {@link ApiException} (a
 * status code). Read from the compiled classes' constant pools, where every class a class uses
 * (a call, a field, a type in a signature, a catch, a lambda's body) is named, inner and
 * anonymous classes included.
 */
class BelowHttpTest {
    private static final Set<String> HTTP = Set.of(internal(Body.class), internal(ApiException.class));

    /** The operations converted to commands, and what they share; each with its nested, anonymous and lambda classes. */
    private static final List<Class<?>> BELOW_HTTP = List.of(GroupOps.class, VnicOps.class, IpSetOps.class, AdminOps.class,
            ImportOps.class, AccessOps.class, TagOps.class, Placement.class, Resolve.class, Quotas.class, Caller.class, Controller.class);

    @Test
    void theCommandsAndTheOperationsReferToNeitherBodyNorApiException() throws IOException {
        List<Path> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(classFile(Command.class).getParent())) {
            files.filter(p -> p.toString().endsWith(".class")).forEach(classes::add);
        }
        for (Class<?> c : BELOW_HTTP) {
            Path own = classFile(c);
            String prefix = c.getSimpleName() + "$";
            try (Stream<Path> files = Files.list(own.getParent())) {
                files.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(classes::add);
            }
            classes.add(own);
        }
        assertThat(classes).hasSizeGreaterThan(BELOW_HTTP.size() + 5);
        for (Path p : classes) {
            assertThat(httpNames(p)).as("%s names HTTP classes", p.getFileName()).isEmpty();
        }
    }

    /** The check sees a use where there is one: the /v1 routes (HTTP by design) read bodies and throw API errors. */
    @Test
    void theCheckFindsTheHttpLayersUseOfBoth() throws IOException {
        assertThat(httpNames(classFile(Routes.class))).containsExactlyInAnyOrderElementsOf(HTTP);
    }

    private static Path classFile(Class<?> c) {
        try {
            return Path.of(c.getResource(c.getSimpleName() + ".class").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String internal(Class<?> c) {
        return c.getName().replace('.', '/');
    }

    /** The HTTP classes a class file names anywhere in its constant pool (as a class, or inside a descriptor or signature). */
    private static Set<String> httpNames(Path classFile) throws IOException {
        Set<String> found = new TreeSet<>();
        for (String utf8 : utf8Constants(classFile)) {
            for (String name : HTTP) {
                if (utf8.equals(name) || utf8.contains("L" + name + ";") || utf8.contains("L" + name + "<")) {
                    found.add(name);
                }
            }
        }
        return found;
    }

    /** Every UTF-8 constant of a class file (JVMS 4.4): names, descriptors, signatures, strings. */
    private static List<String> utf8Constants(Path classFile) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(classFile); DataInputStream data = new DataInputStream(in)) {
            if (data.readInt() != 0xCAFEBABE) {
                throw new IOException(classFile + " is not a class file");
            }
            data.readUnsignedShort();
            data.readUnsignedShort();
            int count = data.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = data.readUnsignedByte();
                switch (tag) {
                    case 1 -> out.add(data.readUTF());
                    case 7, 8, 16, 19, 20 -> data.skipBytes(2);
                    case 15 -> data.skipBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> data.skipBytes(4);
                    case 5, 6 -> {
                        data.skipBytes(8);
                        i++;
                    }
                    default -> throw new IOException(classFile + ": unknown constant pool tag " + tag);
                }
            }
        }
        return out;
    }
}
