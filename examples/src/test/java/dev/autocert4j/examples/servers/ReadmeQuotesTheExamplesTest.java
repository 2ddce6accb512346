package dev.autocert4j.examples.servers;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** README's section for each server quotes the glue of its example verbatim, and the glue stays short. */
class ReadmeQuotesTheExamplesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/autocert4j/examples/servers");

    @ParameterizedTest
    @ValueSource(strings = {"JettyExample", "TomcatExample", "ServletExample", "NettyExample"})
    void readmeQuotesTheGlueOfEachExample(String example) throws Exception {
        List<String> glue = glue(Files.readAllLines(SOURCES.resolve(example + ".java")));
        String readme = Files.readString(Path.of("..", "README.md"));

        assertThat(glue).as("lines of glue beyond the server's own setup").hasSizeBetween(1, 15);
        assertThat(readme).as("README quotes " + example).contains(String.join("\n", glue));
    }

    /** The lines between the tag markers, with the indentation of the first one removed. */
    private static List<String> glue(List<String> lines) {
        int start = indexOf(lines, "// tag::glue[]") + 1;
        int end = indexOf(lines, "// end::glue[]");
        List<String> block = lines.subList(start, end);
        int indent = block.get(0).length() - block.get(0).stripLeading().length();
        return block.stream().map(line -> line.length() >= indent ? line.substring(indent) : line.strip())
                .collect(Collectors.toList());
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("no marker " + marker + " in " + Arrays.toString(lines.toArray()));
    }
}
