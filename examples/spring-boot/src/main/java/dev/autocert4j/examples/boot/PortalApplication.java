package dev.autocert4j.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A portal on Spring Boot whose certificate comes from Let's Encrypt: the autocert4j starter on the
 * class path and the properties in {@code application.properties} are the whole setup.
 */
// tag::application[]
@SpringBootApplication
@RestController
public class PortalApplication {

    public static void main(String[] args) {
        SpringApplication.run(PortalApplication.class, args);
    }

    @GetMapping("/")
    String home() {
        return "Served over HTTPS with a Let's Encrypt certificate";
    }
}
// end::application[]
