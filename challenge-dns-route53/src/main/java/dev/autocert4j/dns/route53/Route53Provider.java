package dev.autocert4j.dns.route53;

import dev.autocert4j.AutoCertException;
import dev.autocert4j.spi.DnsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * TXT records in a Route 53 hosted zone. Route 53 keeps all values of a name in one record set, so a
 * change reads the set, adds or removes our value, and writes it back as one atomic batch that deletes
 * the set exactly as read and creates the new one: if another writer changed the set in between, the
 * delete no longer matches, Route 53 refuses the whole batch, and the change is read and tried again,
 * so a value another certificate put there is never lost.
 */
final class Route53Provider implements DnsProvider {

    private static final long NEW_RECORD_TTL = 60;
    private static final int ATTEMPTS = 5;
    private static final String HOSTED_ZONE_PREFIX = "/hostedzone/";
    private static final Set<String> CREDENTIAL_ERRORS = Set.of("InvalidClientTokenId", "SignatureDoesNotMatch",
            "UnrecognizedClientException", "AccessDenied", "AccessDeniedException", "ExpiredToken",
            "IncompleteSignature", "MissingAuthenticationToken", "InvalidSignatureException");

    private final Route53Client client;
    private final Optional<String> hostedZoneId;
    private final Duration waitTimeout;
    private final Duration pollInterval;
    private final Clock clock;
    private final Map<String, String> zoneIds = new ConcurrentHashMap<>();

    Route53Provider(Route53Client client, Optional<String> hostedZoneId, Duration waitTimeout, Duration pollInterval,
                    Clock clock) {
        this.client = client;
        this.hostedZoneId = hostedZoneId.map(Route53Provider::bareId);
        this.waitTimeout = waitTimeout;
        this.pollInterval = pollInterval;
        this.clock = clock;
    }

    @Override
    public void addTxtRecord(String zone, String name, String value) {
        Optional<ChangeInfo> change = changeValues(zone, name, values -> values.add(value));
        change.ifPresent(info -> awaitInSync(info, name));
    }

    @Override
    public void removeTxtRecord(String zone, String name, String value) {
        changeValues(zone, name, values -> values.remove(value));
    }

    /** Reads the set, edits its values and writes it back; empty if the edit changed nothing. */
    private Optional<ChangeInfo> changeValues(String zone, String name, Predicate<Set<String>> edit) {
        String zoneId = zoneId(zone);
        String recordName = absolute(name);
        for (int attempt = 1; ; attempt++) {
            Optional<ResourceRecordSet> current = txtRecordSet(zoneId, recordName);
            Set<String> values = current.map(Route53Provider::values).orElseGet(LinkedHashSet::new);
            if (!edit.test(values)) {
                return Optional.empty();
            }
            try {
                return Optional.of(replace(zoneId, recordName, current, values));
            } catch (AwsServiceException e) {
                if (!ErrorDocument.of(e).isInvalidChangeBatch() || attempt == ATTEMPTS
                        || txtRecordSet(zoneId, recordName).equals(current)) {
                    throw refused("change the TXT records of " + recordName, e);
                }
                // another writer changed the set since we read it: read it again
            } catch (SdkClientException e) {
                throw unreachable("change the TXT records of " + recordName, e);
            }
        }
    }

    private ChangeInfo replace(String zoneId, String recordName, Optional<ResourceRecordSet> current, Set<String> values) {
        List<Change> changes = new ArrayList<>();
        current.ifPresent(set -> changes.add(Change.builder().action(ChangeAction.DELETE).resourceRecordSet(set).build()));
        if (!values.isEmpty()) {
            long ttl = current.map(ResourceRecordSet::ttl).orElse(NEW_RECORD_TTL);
            changes.add(Change.builder().action(ChangeAction.CREATE).resourceRecordSet(set -> set.name(recordName)
                    .type(RRType.TXT).ttl(ttl).resourceRecords(values.stream()
                            .map(value -> ResourceRecord.builder().value(TxtStrings.quote(value)).build())
                            .collect(Collectors.toList()))).build());
        }
        return client.changeResourceRecordSets(request -> request.hostedZoneId(zoneId)
                .changeBatch(batch -> batch.comment("autocert4j DNS-01").changes(changes))).changeInfo();
    }

    private Optional<ResourceRecordSet> txtRecordSet(String zoneId, String recordName) {
        List<ResourceRecordSet> sets = call("read the TXT records of " + recordName, () -> client.listResourceRecordSets(
                request -> request.hostedZoneId(zoneId).startRecordName(recordName).startRecordType(RRType.TXT)
                        .maxItems("10")).resourceRecordSets());
        return sets.stream()
                .filter(set -> set.type() == RRType.TXT && set.setIdentifier() == null
                        && set.name().equalsIgnoreCase(recordName))
                .findFirst();
    }

    private static Set<String> values(ResourceRecordSet set) {
        return set.resourceRecords().stream().map(record -> TxtStrings.unquote(record.value()))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private String zoneId(String zone) {
        return hostedZoneId.orElseGet(() -> zoneIds.computeIfAbsent(absolute(zone), this::findHostedZone));
    }

    private String findHostedZone(String zoneName) {
        List<HostedZone> named = call("find the hosted zone " + zoneName, () -> client.listHostedZonesByName(
                request -> request.dnsName(zoneName).maxItems("10")).hostedZones()).stream()
                .filter(hostedZone -> hostedZone.name().equalsIgnoreCase(zoneName))
                .collect(Collectors.toList());
        List<HostedZone> publicZones = named.stream()
                .filter(hostedZone -> hostedZone.config() == null || !Boolean.TRUE.equals(hostedZone.config().privateZone()))
                .collect(Collectors.toList());
        if (publicZones.size() == 1) {
            return bareId(publicZones.get(0).id());
        }
        if (publicZones.isEmpty()) {
            throw new AutoCertException("Route 53 has no public hosted zone named " + zoneName + " that this credential"
                    + " can see" + (named.isEmpty() ? "" : " (only private ones: " + ids(named) + ")")
                    + "; set hosted-zone-id to choose one");
        }
        throw new AutoCertException("Route 53 has " + publicZones.size() + " public hosted zones named " + zoneName
                + " (" + ids(publicZones) + "); set hosted-zone-id to the one the domain is delegated to");
    }

    private void awaitInSync(ChangeInfo change, String name) {
        Instant deadline = clock.instant().plus(waitTimeout);
        ChangeInfo info = change;
        while (info.status() != ChangeStatus.INSYNC) {
            if (!clock.instant().isBefore(deadline)) {
                throw new AutoCertException("Route 53 has not applied the change " + info.id() + " to " + name
                        + " on all its servers after " + waitTimeout.toSeconds() + " s (its status is still "
                        + info.statusAsString() + "); raise wait-timeout if Route 53 is slow today");
            }
            pause();
            String changeId = info.id();
            info = call("read the status of the change " + changeId, () -> client.getChange(request -> request
                    .id(changeId)).changeInfo());
        }
    }

    private void pause() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AutoCertException("Interrupted while waiting for Route 53 to apply a change", e);
        }
    }

    private static <T> T call(String action, Supplier<T> request) {
        try {
            return request.get();
        } catch (AwsServiceException e) {
            throw refused(action, e);
        } catch (SdkClientException e) {
            throw unreachable(action, e);
        }
    }

    private static AutoCertException unreachable(String action, SdkClientException e) {
        return new AutoCertException("Route 53 could not be asked to " + action + ": " + e.getMessage(), e);
    }

    private static AutoCertException refused(String action, AwsServiceException e) {
        ErrorDocument error = ErrorDocument.of(e);
        String code = error.code();
        String detail = error.message() + " (" + (code == null ? "" : code + ", ") + "HTTP " + e.statusCode() + ")";
        if (e.statusCode() == 401 || e.statusCode() == 403 || code != null && CREDENTIAL_ERRORS.contains(code)) {
            return new AutoCertException("The Route 53 API refused the credential: " + detail + ". Check the AWS"
                    + " credential it was given (the default chain, the profile or the access key) and that it may"
                    + " list and change the hosted zone's record sets", e);
        }
        if (e.isThrottlingException() || "PriorRequestNotComplete".equals(code)) {
            return new AutoCertException("The Route 53 API is limiting the rate of requests and still was after the"
                    + " SDK's retries: " + detail + "; try again later", e);
        }
        return new AutoCertException("The Route 53 API refused to " + action + ": " + detail, e);
    }

    private static String absolute(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }

    private static String bareId(String id) {
        return id.startsWith(HOSTED_ZONE_PREFIX) ? id.substring(HOSTED_ZONE_PREFIX.length()) : id;
    }

    private static String ids(List<HostedZone> zones) {
        return zones.stream().map(zone -> bareId(zone.id())).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "route53" + hostedZoneId.map(id -> " (hosted zone " + id + ")").orElse("");
    }
}
