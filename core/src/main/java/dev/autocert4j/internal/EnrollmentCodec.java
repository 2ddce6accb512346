package dev.autocert4j.internal;

import dev.autocert4j.Binding;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.KeyType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an enrollment's choices as the flat text properties a {@link dev.autocert4j.CertificateStore}
 * keeps, and reads them back. External account binding credentials are not written (the HMAC key is
 * a secret): they are needed only to register the account, which is stored on its own. The email is
 * written only where the request carries one (the deprecated per-request account contact).
 */
public final class EnrollmentCodec {

    /** The version of the format; readers accept it and refuse later ones with a clear message. */
    static final String VERSION = "1";

    private EnrollmentCodec() {
    }

    /**
     * @param request the enrollment
     * @return its choices as properties, in a stable order
     */
    public static Map<String, String> encode(EnrollmentRequest request) {
        Map<String, String> choices = new LinkedHashMap<>();
        choices.put("version", VERSION);
        choices.put("binding", request.binding().toString());
        if (!request.binding().isHttps()) {
            choices.put("httpsPort", String.valueOf(request.httpsBinding().port()));
        }
        if (!request.extraNames().isEmpty()) {
            choices.put("extraNames", String.join(",", request.extraNames()));
        }
        String email = deprecatedEmailOf(request);
        if (email != null) {
            choices.put("email", email); // the account's contact before 0.2.0; read by older versions
        }
        choices.put("challenge", request.challengeType().acmeName());
        request.keyType().ifPresent(keyType -> choices.put("keyType", keyType.name()));
        request.profile().ifPresent(profile -> choices.put("profile", profile));
        return choices;
    }

    /**
     * @param name    the enrollment's name, for messages
     * @param choices what {@link #encode} wrote
     * @return the enrollment, its Terms of Service accepted (they were, when it was made)
     * @throws InvalidInputException naming the enrollment and the property that is missing or wrong
     */
    public static EnrollmentRequest decode(String name, Map<String, String> choices) {
        try {
            String version = choices.getOrDefault("version", VERSION);
            if (!version.equals(VERSION)) {
                throw new InvalidInputException("version", version, "is newer than this autocert4j understands;"
                        + " upgrade autocert4j or enroll again");
            }
            EnrollmentRequest.Builder builder = EnrollmentRequest.builder()
                    .binding(Binding.parse(required(choices, "binding")))
                    .challenge(ChallengeType.fromAcmeName(choices.getOrDefault("challenge", "http-01")));
            String email = choices.get("email");
            if (email != null && !email.isBlank()) {
                withDeprecatedEmail(builder, email);
            }
            String extraNames = choices.get("extraNames");
            if (extraNames != null && !extraNames.isBlank()) {
                builder.extraNames(List.of(extraNames.split(",")));
            }
            String httpsPort = choices.get("httpsPort");
            if (httpsPort != null) {
                builder.httpsPort(port(httpsPort));
            }
            String keyType = choices.get("keyType");
            if (keyType != null) {
                builder.keyType(keyType(keyType));
            }
            String profile = choices.get("profile");
            if (profile != null) {
                builder.profile(profile);
            }
            return builder.build();
        } catch (InvalidInputException e) {
            throw new InvalidInputException("stored enrollment", name, "cannot be read: " + e.getMessage());
        }
    }

    @SuppressWarnings("deprecation") // enrollments stored before 0.2.0 carry the account's email
    private static String deprecatedEmailOf(EnrollmentRequest request) {
        return request.email();
    }

    @SuppressWarnings("deprecation")
    private static void withDeprecatedEmail(EnrollmentRequest.Builder builder, String email) {
        builder.email(email).termsOfServiceAccepted(true);
    }

    private static String required(Map<String, String> choices, String key) {
        String value = choices.get(key);
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(key, null, "is missing");
        }
        return value;
    }

    private static int port(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("httpsPort", text, "is not a port number");
        }
    }

    private static KeyType keyType(String text) {
        try {
            return KeyType.valueOf(text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("keyType", text, "is not a key type autocert4j knows");
        }
    }
}
