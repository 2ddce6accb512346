package dev.autocert4j.testkit;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which package of a library uses which, read from its compiled classes: every class a class file
 * names in its constant pool (types, descriptors, signatures), kept when it lies under the library's
 * root package. A module boundary test uses it to find package cycles:
 *
 * <pre>{@code
 * PackageGraph graph = PackageGraph.ofLibraryContaining(AutoCert.class, "dev.autocert4j")
 *         .withoutReferencesFrom(AutoCert.class);
 * assertThat(graph.cycles()).isEmpty();
 * }</pre>
 */
public final class PackageGraph {

    private static final int MAGIC = 0xCAFEBABE;

    /** class name (binary, dotted) to the classes under the root it names. */
    private final Map<String, Set<String>> references;

    private PackageGraph(Map<String, Set<String>> references) {
        this.references = references;
    }

    /**
     * Reads every class of the folder or jar {@code anyClass} was loaded from.
     *
     * @param anyClass    a class of the library
     * @param rootPackage only references to classes in this package and below are kept
     * @return the graph
     */
    public static PackageGraph ofLibraryContaining(Class<?> anyClass, String rootPackage) {
        Pattern named = Pattern.compile(Pattern.quote(rootPackage.replace('.', '/')) + "(?:/[A-Za-z0-9_$]+)+");
        Map<String, Set<String>> references = new TreeMap<>();
        Path location = locationOf(anyClass);
        try {
            if (Files.isDirectory(location)) {
                readFolder(location, named, references);
            } else {
                readJar(location, named, references);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classes in " + location, e);
        }
        return new PackageGraph(references);
    }

    private static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void readFolder(Path folder, Pattern named, Map<String, Set<String>> references) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) files.filter(PackageGraph::isClassFile)::iterator) {
                try (InputStream in = Files.newInputStream(file)) {
                    read(in, named, references);
                }
            }
        }
    }

    private static void readJar(Path jar, Pattern named, Map<String, Set<String>> references) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
                if (isClassFile(Path.of(entry.getName())) && !entry.getName().startsWith("META-INF/")) {
                    try (InputStream in = file.getInputStream(entry)) {
                        read(in, named, references);
                    }
                }
            }
        }
    }

    private static boolean isClassFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".class") && !name.equals("module-info.class") && !name.equals("package-info.class");
    }

    private static void read(InputStream in, Pattern named, Map<String, Set<String>> references) throws IOException {
        ConstantPool pool = ConstantPool.read(new DataInputStream(in));
        Set<String> found = new TreeSet<>();
        for (String text : pool.texts) {
            Matcher matcher = named.matcher(text);
            while (matcher.find()) {
                found.add(matcher.group().replace('/', '.'));
            }
        }
        found.remove(pool.thisClass);
        references.put(pool.thisClass, found);
    }

    /**
     * The same graph without what the given classes (and their nested classes) name: for a
     * composition root, the one place that is meant to know every package.
     *
     * @param roots the classes whose references are left out
     * @return a new graph
     */
    public PackageGraph withoutReferencesFrom(Class<?>... roots) {
        Map<String, Set<String>> kept = new TreeMap<>(references);
        kept.keySet().removeIf(name -> Arrays.stream(roots)
                .anyMatch(root -> name.equals(root.getName()) || name.startsWith(root.getName() + "$")));
        return new PackageGraph(kept);
    }

    /** @return each package to the packages its classes name (itself left out) */
    public Map<String, Set<String>> packageEdges() {
        Map<String, Set<String>> edges = new TreeMap<>();
        references.forEach((from, targets) -> {
            Set<String> to = edges.computeIfAbsent(packageOf(from), key -> new TreeSet<>());
            targets.stream().map(PackageGraph::packageOf).filter(pkg -> !pkg.equals(packageOf(from))).forEach(to::add);
        });
        return edges;
    }

    /**
     * @param type a class of the library
     * @return the classes that name it, nested classes of the type itself left out
     */
    public Set<String> classesNaming(Class<?> type) {
        Set<String> naming = new TreeSet<>();
        references.forEach((from, targets) -> {
            boolean self = from.equals(type.getName()) || from.startsWith(type.getName() + "$");
            if (!self && targets.stream().anyMatch(target -> target.equals(type.getName())
                    || target.startsWith(type.getName() + "$"))) {
                naming.add(from);
            }
        });
        return naming;
    }

    /**
     * Every package cycle, each as the packages in it and, for each edge inside it, one class that
     * makes the edge: {@code "a -> b (a.X names b.Y)"}.
     *
     * @return the cycles, empty when the packages form a hierarchy
     */
    public List<List<String>> cycles() {
        List<List<String>> cycles = new ArrayList<>();
        for (Set<String> component : new StronglyConnected(packageEdges()).components()) {
            if (component.size() > 1) {
                cycles.add(describe(component));
            }
        }
        return cycles;
    }

    private List<String> describe(Set<String> component) {
        List<String> lines = new ArrayList<>();
        references.forEach((from, targets) -> targets.stream()
                .filter(target -> component.contains(packageOf(from)) && component.contains(packageOf(target))
                        && !packageOf(from).equals(packageOf(target)))
                .findFirst()
                .ifPresent(target -> lines.add(packageOf(from) + " -> " + packageOf(target)
                        + " (" + from + " names " + target + ")")));
        return lines;
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    /** Tarjan's algorithm over the package edges. */
    private static final class StronglyConnected {
        private final Map<String, Set<String>> edges;
        private final Map<String, Integer> index = new LinkedHashMap<>();
        private final Map<String, Integer> lowLink = new LinkedHashMap<>();
        private final List<String> stack = new ArrayList<>();
        private final List<Set<String>> components = new ArrayList<>();

        StronglyConnected(Map<String, Set<String>> edges) {
            this.edges = edges;
        }

        List<Set<String>> components() {
            Set<String> nodes = new TreeSet<>(edges.keySet());
            edges.values().forEach(nodes::addAll);
            for (String node : nodes) {
                if (!index.containsKey(node)) {
                    visit(node);
                }
            }
            return components;
        }

        private void visit(String node) {
            index.put(node, index.size());
            lowLink.put(node, index.get(node));
            stack.add(node);
            for (String next : edges.getOrDefault(node, Set.of())) {
                if (!index.containsKey(next)) {
                    visit(next);
                    lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
                } else if (stack.contains(next)) {
                    lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
                }
            }
            if (lowLink.get(node).equals(index.get(node))) {
                Set<String> component = new TreeSet<>();
                String member;
                do {
                    member = stack.remove(stack.size() - 1);
                    component.add(member);
                } while (!member.equals(node));
                components.add(component);
            }
        }
    }

    /** The parts of a class file's constant pool this graph needs: its own name and its texts. */
    private static final class ConstantPool {
        final String thisClass;
        final Collection<String> texts;

        private ConstantPool(String thisClass, Collection<String> texts) {
            this.thisClass = thisClass;
            this.texts = texts;
        }

        static ConstantPool read(DataInputStream in) throws IOException {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            int[] classNameIndex = new int[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7 -> classNameIndex[i] = in.readUnsignedShort();
                    case 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 15 -> in.skipNBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
            in.readUnsignedShort();
            int thisClass = in.readUnsignedShort();
            List<String> texts = new ArrayList<>();
            for (String text : utf8) {
                if (text != null) {
                    texts.add(text);
                }
            }
            return new ConstantPool(utf8[classNameIndex[thisClass]].replace('/', '.'), texts);
        }
    }
}
