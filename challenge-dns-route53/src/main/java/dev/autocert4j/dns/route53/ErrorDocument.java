package dev.autocert4j.dns.route53;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code and message of an error Route 53 answered. Most errors come as an {@code ErrorResponse} the SDK
 * reads; a change batch that does not apply comes as an {@code InvalidChangeBatch} document with a list of
 * messages, which the SDK leaves unread (no code, no message), so they are read here from the raw answer.
 */
record ErrorDocument(String code, String message) {

    private static final String INVALID_CHANGE_BATCH = "InvalidChangeBatch";
    private static final Pattern ROOT = Pattern.compile("<(?!\\?)([A-Za-z]+)[\\s>]");
    private static final Pattern MESSAGE = Pattern.compile("<Message>(.*?)</Message>", Pattern.DOTALL);

    static ErrorDocument of(AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        if (details != null && details.errorCode() != null) {
            return new ErrorDocument(details.errorCode(), details.errorMessage() == null ? e.getMessage() : details.errorMessage());
        }
        String raw = details == null || details.rawResponse() == null ? "" : details.rawResponse().asUtf8String();
        Matcher root = ROOT.matcher(raw);
        List<String> messages = new ArrayList<>();
        for (Matcher message = MESSAGE.matcher(raw); message.find(); ) {
            messages.add(unescape(message.group(1)));
        }
        return new ErrorDocument(root.find() ? root.group(1) : null,
                messages.isEmpty() ? e.getMessage() : String.join("; ", messages));
    }

    boolean isInvalidChangeBatch() {
        return INVALID_CHANGE_BATCH.equals(code);
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }
}
