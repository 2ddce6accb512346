package dev.autocert4j.dns.route53;

import com.github.tomakehurst.wiremock.http.Request;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks an AWS Signature Version 4 the way AWS does, from its public description: the canonical request
 * (method, path, sorted query, the signed headers, the payload's hash), the string to sign with the date and
 * scope, and the signing key derived from the secret access key, date, region and service.
 */
final class SignatureV4 {

    private static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256 Credential=[^/]+/(\\d{8})/([^/]+)/([^/]+)"
            + "/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)");

    private SignatureV4() {
    }

    static boolean isSignedWith(Request request, String secretAccessKey) {
        Matcher authorization = AUTHORIZATION.matcher(String.valueOf(request.getHeader("Authorization")));
        if (!authorization.matches()) {
            return false;
        }
        String date = authorization.group(1);
        String scope = date + "/" + authorization.group(2) + "/" + authorization.group(3) + "/aws4_request";
        List<String> signedHeaders = Arrays.asList(authorization.group(4).split(";"));
        URI uri = URI.create(request.getUrl());
        String canonicalRequest = String.join("\n",
                request.getMethod().getName(),
                uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath(),
                uri.getRawQuery() == null ? "" : Arrays.stream(uri.getRawQuery().split("&"))
                        .map(pair -> pair.contains("=") ? pair : pair + "=").sorted().collect(Collectors.joining("&")),
                signedHeaders.stream().map(name -> name + ":" + request.getHeader(name).strip() + "\n")
                        .collect(Collectors.joining()),
                String.join(";", signedHeaders),
                hex(sha256(request.getBody())));
        String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", request.getHeader("X-Amz-Date"), scope,
                hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
        for (String part : List.of(authorization.group(2), authorization.group(3), "aws4_request")) {
            key = hmac(key, part);
        }
        return MessageDigest.isEqual(hex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII),
                authorization.group(5).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
