package dev.autocert4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No class in core's main code is over 400 lines, Javadoc included: a class that grows past that
 * is doing more than one job. A nested class counts on its own, not in its outer class.
 */
class ClassSizeTest {

    private static final int MOST_LINES = 400;
    private static final Path CORE_SOURCES = Path.of("..", "core", "src", "main", "java");
    /** A type declared in a top-level class's body, in the house layout (four spaces in). */
    private static final Pattern NESTED_TYPE = Pattern.compile(
            "^ {4}(?:(?:public|protected|private|static|final|abstract|sealed)\\s+)*(?:class|interface|record|enum)\\s+(\\w+).*");

    @Test
    void noClassInCoresMainCodeIsOver400Lines() throws IOException {
        Map<String, Integer> tooLong = new LinkedHashMap<>();
        try (Stream<Path> sources = Files.walk(CORE_SOURCES)) {
            sources.filter(path -> path.toString().endsWith(".java")).sorted().forEach(source ->
                    linesPerClass(read(source)).forEach((type, lines) -> {
                        if (lines > MOST_LINES) {
                            tooLong.put(CORE_SOURCES.relativize(source) + ": " + type, lines);
                        }
                    }));
        }

        assertThat(tooLong).as("classes over " + MOST_LINES + " lines").isEmpty();
    }

    @Test
    void aNestedClassCountsOnItsOwnWithItsJavadoc() {
        String source = String.join("\n",
                "package p;",
                "",
                "public final class Outer {",
                "    private int a;",
                "",
                "    /** The builder. */",
                "    public static final class Builder {",
                "        private int b;",
                "    }",
                "",
                "    record Pair(int x, int y) { }",
                "}",
                "");

        assertThat(linesPerClass(source)).containsExactly(Map.entry("Outer", 7), Map.entry("Outer.Builder", 4),
                Map.entry("Outer.Pair", 1));
    }

    /** Lines per class of one source file: the top-level class without its nested types, and each of those. */
    static Map<String, Integer> linesPerClass(String source) {
        List<String> lines = List.of(source.split("\n", -1));
        String topLevel = lines.stream().map(line -> line.replaceFirst(
                        "^(?:(?:public|final|abstract|sealed)\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+).*", "$1"))
                .filter(name -> name.matches("\\w+")).findFirst().orElse("?");
        Map<String, Integer> sizes = new LinkedHashMap<>();
        List<Integer> nestedSizes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            var declaration = NESTED_TYPE.matcher(lines.get(i));
            if (declaration.matches()) {
                int first = firstLineOfDocumentation(lines, i);
                int last = lastLineOfBody(lines, i);
                sizes.put(topLevel + "." + declaration.group(1), last - first + 1);
                nestedSizes.add(last - first + 1);
                i = last;
            }
        }
        int total = lines.get(lines.size() - 1).isEmpty() ? lines.size() - 1 : lines.size();
        Map<String, Integer> result = new LinkedHashMap<>();
        result.put(topLevel, total - nestedSizes.stream().mapToInt(Integer::intValue).sum());
        result.putAll(sizes);
        return result;
    }

    private static int firstLineOfDocumentation(List<String> lines, int declaration) {
        int first = declaration;
        while (first > 0 && lines.get(first - 1).matches("^ {4}(/\\*\\*| \\*|@).*")) {
            first--;
        }
        return first;
    }

    private static int lastLineOfBody(List<String> lines, int declaration) {
        if (lines.get(declaration).stripTrailing().endsWith("}")) {
            return declaration;
        }
        int last = declaration + 1;
        while (!lines.get(last).startsWith("    }")) {
            last++;
        }
        return last;
    }

    private static String read(Path source) {
        try {
            return Files.readString(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
