package dev.autocert4j.examples.boot;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** README's Spring Boot section quotes the example's whole setup verbatim: its properties and its class. */
class ReadmeQuotesTheExampleTest {

    private static final Path README = Path.of("..", "..", "README.md");

    @Test
    void readmeQuotesTheProperties() throws Exception {
        String properties = Files.readString(Path.of("src/main/resources/application.properties")).strip();

        assertThat(properties.lines()).as("the application's autocert4j setup").hasSize(5);
        assertThat(Files.readString(README)).contains("```properties\n" + properties + "\n```");
    }

    @Test
    void readmeQuotesTheApplicationClass() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/main/java/dev/autocert4j/examples/boot/PortalApplication.java"));
        List<String> application = lines.subList(lines.indexOf("// tag::application[]") + 1,
                lines.indexOf("// end::application[]"));

        assertThat(application).as("the tagged class").isNotEmpty().doesNotContain("import");
        assertThat(Files.readString(README)).contains("```java\n" + String.join("\n", application) + "\n```");
    }
}
