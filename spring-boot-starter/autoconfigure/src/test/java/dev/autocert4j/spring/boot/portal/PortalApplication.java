package dev.autocert4j.spring.boot.portal;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The portal the tests start: one page, and Spring Security forcing HTTPS and a login everywhere —
 * the setting in which a challenge most easily gets redirected or refused.
 */
@SpringBootApplication
public class PortalApplication {

    @Bean
    SecurityFilterChain everythingSecure(HttpSecurity http) throws Exception {
        return http.redirectToHttps(Customizer.withDefaults())
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .build();
    }

    @RestController
    static class Home {
        @GetMapping("/")
        String home() {
            return "portal";
        }
    }
}
