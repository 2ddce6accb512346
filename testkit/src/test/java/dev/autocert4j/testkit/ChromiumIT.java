package dev.autocert4j.testkit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The browser tests' accessibility check, on pages made to pass and to fail it: a check that finds
 * nothing on a page with an unlabelled field and an image without text would let the admin page
 * lose its labels unnoticed.
 */
class ChromiumIT {

    @TempDir
    static Path profile;

    private static Chromium browser;

    @BeforeAll
    static void start() {
        browser = Chromium.start(profile);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aPageWithAnImageWithoutTextAndAnUnlabelledFieldFailsTheCheckNamingBoth() {
        browser.open(page("<main><h1>Broken</h1><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\">"
                + "<form><input type=\"text\" name=\"email\"></form></main>"));

        assertThatThrownBy(browser::assertAccessible).isInstanceOf(AssertionError.class)
                .hasMessageContaining("serious or critical violations").hasMessageContaining("image-alt")
                .hasMessageContaining("label");
    }

    @Test
    void aPageWithTextForEveryImageAndALabelForEveryFieldPasses() {
        browser.open(page("<main><h1>Fine</h1><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" alt=\"A dot\">"
                + "<form><label for=\"email\">Email</label><input type=\"text\" id=\"email\" name=\"email\"></form></main>"));

        browser.assertAccessible();
        assertThat(browser.heading()).isEqualTo("Fine");
        assertThat(browser.find(By.id("email")).getAttribute("name")).isEqualTo("email");
    }

    private static String page(String body) {
        String html = "<!doctype html><html lang=\"en\"><head><title>Test page</title></head><body>" + body + "</body></html>";
        return "data:text/html;charset=utf-8," + URLEncoder.encode(html, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
