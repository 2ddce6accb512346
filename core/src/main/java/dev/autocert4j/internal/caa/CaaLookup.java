package dev.autocert4j.internal.caa;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** The DNS questions the CAA check asks; {@link JndiCaaLookup} asks them through the JDK's DNS provider. */
interface CaaLookup {

    /**
     * The CAA record set at a name, following aliases as the resolver does.
     *
     * @param name a DNS name without the trailing dot
     * @return the records' raw RDATA; empty where the name has none or does not exist
     * @throws IOException if no resolver answered (SERVFAIL, timeout, refusal)
     */
    List<byte[]> caaAt(String name) throws IOException;

    /**
     * Where a name points to, for messages only.
     *
     * @param name a DNS name without the trailing dot
     * @return the target of its CNAME record, if it has one and the lookup succeeds
     */
    Optional<String> aliasTarget(String name);
}
