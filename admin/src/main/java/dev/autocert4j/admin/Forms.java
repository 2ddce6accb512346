package dev.autocert4j.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reads an {@code application/x-www-form-urlencoded} body, the one format every action takes. */
final class Forms {

    /** A body that is not a form. */
    static final class BadForm extends Exception {
        BadForm(String message) {
            super(message);
        }
    }

    private Forms() {
    }

    /** @return each field's value; a field given twice is refused, so no two parts of the code read different values */
    static Map<String, String> parse(byte[] body) throws BadForm {
        Map<String, String> form = new HashMap<>();
        String text = new String(body, StandardCharsets.US_ASCII);
        if (text.isEmpty()) {
            return form;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (form.put(name, value) != null) {
                throw new BadForm("The form gives the field " + name + " twice.");
            }
        }
        return form;
    }

    private static String decode(String text) throws BadForm {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadForm("The form is not properly encoded: " + e.getMessage());
        }
    }
}
