package dev.autocert4j.http;

import com.sun.net.httpserver.HttpHandler;
import dev.autocert4j.ChallengeResponder;
import dev.autocert4j.ChallengeTokenStore;
import dev.autocert4j.ChallengeType;
import dev.autocert4j.InvalidInputException;
import dev.autocert4j.spi.ChallengeSolver;
import dev.autocert4j.spi.PendingChallenge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Answers ACME HTTP-01 challenges from memory: the tokens the ACME engine presents, and nothing
 * else. Give it to {@code AutoCert.Builder.challengeSolver(...)} and serve it through
 * {@link #handler()} on the host's own JDK HTTP server, or through an {@link Http01Listener} on a
 * port of its own. Thread-safe. It is also a {@link ChallengeResponder}, the 0.1 interface, whose
 * methods keep working.
 */
@SuppressWarnings("deprecation") // still answers the 0.1 interface for hosts that call it
public final class Http01Responder implements ChallengeSolver, ChallengeResponder {

    /** The path prefix every HTTP-01 request has: {@value}. */
    public static final String PATH_PREFIX = "/.well-known/acme-challenge/";

    /** Tokens are base64url (RFC 8555 section 8.3: at least 128 bits of entropy); longer than this is not a token. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    /** What a published token answers, and for which domain (null if the publisher did not say). */
    private record Published(String domain, String keyAuthorization) {
    }

    private final Map<String, Published> published = new ConcurrentHashMap<>();
    private final boolean checkHost;
    private final SharedTokens shared;

    /** Creates a responder that answers published tokens whatever the request's {@code Host} header. */
    public Http01Responder() {
        this(false, null);
    }

    private Http01Responder(boolean checkHost, SharedTokens shared) {
        this.checkHost = checkHost;
        this.shared = shared;
    }

    /**
     * Creates a responder for one server of a cluster: it publishes tokens into a store every
     * server shares (the JDBC store's, say), and answers the tokens any server published, so that
     * validation succeeds whichever server the load balancer sends the CA to. Answers from the
     * store are kept for a few seconds and misses for one. Lookups are charged for misses only
     * and limited so that requests for made-up tokens can neither flood the store nor crowd out
     * the CA's: a client address that has not asked for an unknown token for 10 seconds (as the
     * CA's validators have not) is always looked up; misses from all addresses together are held
     * to 100 a second; an address past 10 misses at once, then one a second, gets only what the
     * other addresses leave; and at most 1,000 lookups a second reach the store. Give the
     * client's address through {@link #answer(String, String, String, InetAddress)} (the JDK
     * handler and {@link Http01Listener} do). Behind a load balancer that hides the client's
     * address every request shares the balancer's, and a flood through it competes with the CA
     * for the 100 lookups a second.
     *
     * @param tokens the shared token store
     * @return the responder
     * @since 0.2.0
     */
    public static Http01Responder sharedThrough(ChallengeTokenStore tokens) {
        return sharedThrough(tokens, System::nanoTime);
    }

    static Http01Responder sharedThrough(ChallengeTokenStore tokens, LongSupplier nanoTime) {
        return new Http01Responder(false, new SharedTokens(Objects.requireNonNull(tokens, "tokens"), nanoTime));
    }

    /**
     * Creates a responder that also requires the request's {@code Host} header to name the domain
     * the token was published for (a defence against DNS rebinding). CAs send the domain as Host.
     *
     * @return a host-checking responder
     */
    public static Http01Responder checkingHost() {
        return new Http01Responder(true, null);
    }

    /**
     * @return {@link ChallengeType#HTTP_01}
     * @since 0.2.0
     */
    @Override
    public ChallengeType type() {
        return ChallengeType.HTTP_01;
    }

    /**
     * Starts answering the challenge's token with its key authorization, for its identifier.
     *
     * @param challenge an HTTP-01 challenge
     * @throws IllegalArgumentException if it is not an HTTP-01 challenge
     * @since 0.2.0
     */
    @Override
    public void present(PendingChallenge challenge) {
        Objects.requireNonNull(challenge, "challenge");
        if (challenge.type() != ChallengeType.HTTP_01) {
            throw new IllegalArgumentException("This solver answers HTTP-01, not " + challenge.type().acmeName());
        }
        publish(challenge.identifier(), challenge.token(), challenge.keyAuthorization());
    }

    /**
     * Stops answering the challenge's token; an unknown one does nothing.
     *
     * @param challenge the challenge
     * @since 0.2.0
     */
    @Override
    public void cleanUp(PendingChallenge challenge) {
        Objects.requireNonNull(challenge, "challenge");
        withdraw(challenge.token());
    }

    @Override
    public void publish(String token, String keyAuthorization) {
        publish(null, token, keyAuthorization);
    }

    @Override
    public void publish(String domain, String token, String keyAuthorization) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(keyAuthorization, "keyAuthorization");
        if (!TOKEN.matcher(token).matches()) {
            throw new InvalidInputException("token", token, "is not a base64url ACME challenge token");
        }
        String name = domain == null ? null : domain.toLowerCase(Locale.ROOT);
        if (shared != null) {
            shared.put(name, token, keyAuthorization); // first, so that a failure publishes nothing
        }
        published.put(token, new Published(name, keyAuthorization));
    }

    @Override
    public void withdraw(String token) {
        Objects.requireNonNull(token, "token");
        published.remove(token);
        if (shared != null) {
            shared.remove(token);
        }
    }

    /**
     * The client's address from the IP literal a servlet container reports
     * ({@code ServletRequest.getRemoteAddr()}), for {@link #answer(String, String, String, InetAddress)};
     * never through a DNS lookup.
     *
     * @param ipLiteral an IPv4 or IPv6 literal, or anything else
     * @return the address, or {@code null} when the text is not an IP literal
     * @since 0.2.0
     */
    public static InetAddress clientAddress(String ipLiteral) {
        boolean isLiteral = ipLiteral != null && (ipLiteral.matches("(\\d{1,3}\\.){3}\\d{1,3}") || ipLiteral.contains(":"));
        try {
            return isLiteral ? InetAddress.getByName(ipLiteral) : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Finds the answer to a request, by its method and raw (undecoded) path. Only {@code GET} and
     * {@code HEAD} of exactly {@code /.well-known/acme-challenge/<token>} for a published token
     * have one; percent-encoding, extra segments or a trailing slash never match.
     *
     * @param method  the HTTP method
     * @param rawPath the request path as sent, without query
     * @return the key authorization to answer with, if any
     */
    public Optional<String> answer(String method, String rawPath) {
        return answer(method, rawPath, null);
    }

    /**
     * Finds the answer to a request, as {@link #answer(String, String)}, also checking the
     * {@code Host} header if this responder was created by {@link #checkingHost()}. Servers that
     * know the client's address should call {@link #answer(String, String, String, InetAddress)}
     * instead: a shared responder needs it to keep a flood of made-up tokens from crowding out
     * the CA.
     *
     * @param method  the HTTP method
     * @param rawPath the request path as sent, without query
     * @param host    the request's {@code Host} header, or {@code null} if it had none
     * @return the key authorization to answer with, if any
     */
    public Optional<String> answer(String method, String rawPath, String host) {
        return answer(method, rawPath, host, null);
    }

    /**
     * Finds the answer to a request, as {@link #answer(String, String, String)}, knowing who asks.
     * Tokens this server published are answered from memory whoever asks. A responder
     * {@linkplain #sharedThrough shared through a store} asks the store about other tokens within
     * limits per client address, charged only for tokens the store does not hold, so that an
     * address asking for many made-up tokens cannot crowd out the CA, which asks for tokens
     * that exist.
     *
     * @param method  the HTTP method
     * @param rawPath the request path as sent, without query
     * @param host    the request's {@code Host} header, or {@code null} if it had none
     * @param client  the address the request came from, or {@code null} if unknown
     * @return the key authorization to answer with, if any
     * @since 0.2.0
     */
    public Optional<String> answer(String method, String rawPath, String host, InetAddress client) {
        if (method == null || rawPath == null || !(method.equals("GET") || method.equals("HEAD"))) {
            return Optional.empty();
        }
        if (!rawPath.startsWith(PATH_PREFIX)) {
            return Optional.empty();
        }
        String token = rawPath.substring(PATH_PREFIX.length());
        if (!TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        Published answer = published.get(token);
        if (answer == null && shared != null) {
            answer = shared.find(token, client).map(found -> new Published(found.domain(), found.keyAuthorization()))
                    .orElse(null);
        }
        if (answer == null || (checkHost && !hostMatches(host, answer.domain()))) {
            return Optional.empty();
        }
        return Optional.of(answer.keyAuthorization());
    }

    private static boolean hostMatches(String host, String domain) {
        if (host == null || domain == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon > 0 && !name.endsWith("]")) {
            name = name.substring(0, colon);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.equals(domain);
    }

    /** @return the shared store's cache and limits, or {@code null} without one; for tests */
    SharedTokens sharedTokens() {
        return shared;
    }

    /** @return how many tokens this server published and has not withdrawn */
    public int publishedCount() {
        return published.size();
    }

    /**
     * Returns a handler for the JDK HTTP server. Mount it at {@link #PATH_PREFIX}: the JDK server
     * picks the longest matching context, so it answers ahead of any redirect or HSTS handler on
     * {@code /}.
     *
     * <pre>{@code
     * server.createContext(Http01Responder.PATH_PREFIX, responder.handler());
     * }</pre>
     *
     * @return a handler that answers challenges and 404s everything else
     */
    public HttpHandler handler() {
        return new Http01Handler(this);
    }
}
