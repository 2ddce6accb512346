package dev.autocert4j.dns.google;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpResponseException;
import com.google.api.services.dns.Dns;
import com.google.api.services.dns.model.Change;
import com.google.api.services.dns.model.ManagedZone;
import com.google.api.services.dns.model.ResourceRecordSet;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.spi.DnsProvider;

import java.io.IOException;
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
import java.util.stream.Collectors;

/**
 * TXT records in a Cloud DNS managed zone. Cloud DNS keeps all values of a name in one record set, so a
 * change reads the set, adds or removes our value, and sends one change that deletes the set exactly as
 * read and adds the new one: if another writer changed the set in between, Cloud DNS refuses the change
 * (the deletion no longer matches, or the addition finds a set), and it is read and tried again, so a value
 * another certificate put there is never lost.
 */
final class GoogleCloudDnsProvider implements DnsProvider {

    private static final int NEW_RECORD_TTL = 60;
    private static final int ATTEMPTS = 5;
    /** What Cloud DNS answers a change whose deletion no longer matches (404, 412) or whose addition finds a set (409). */
    private static final Set<Integer> CHANGED_MEANWHILE = Set.of(404, 409, 412);

    private final Dns dns;
    private final String project;
    private final Optional<String> managedZone;
    private final Duration waitTimeout;
    private final Duration pollInterval;
    private final Clock clock;
    private final Map<String, String> zoneNames = new ConcurrentHashMap<>();

    GoogleCloudDnsProvider(Dns dns, String project, Optional<String> managedZone, Duration waitTimeout,
                           Duration pollInterval, Clock clock) {
        this.dns = dns;
        this.project = project;
        this.managedZone = managedZone;
        this.waitTimeout = waitTimeout;
        this.pollInterval = pollInterval;
        this.clock = clock;
    }

    @Override
    public void addTxtRecord(String zone, String name, String value) {
        String zoneName = managedZone(zone);
        changeValues(zoneName, name, values -> values.add(value)).ifPresent(change -> awaitDone(zoneName, change, name));
    }

    @Override
    public void removeTxtRecord(String zone, String name, String value) {
        changeValues(managedZone(zone), name, values -> values.remove(value));
    }

    /** Reads the set, edits its values and writes it back; empty if the edit changed nothing. */
    private Optional<Change> changeValues(String zoneName, String name, Predicate<Set<String>> edit) {
        String recordName = absolute(name);
        for (int attempt = 1; ; attempt++) {
            Optional<ResourceRecordSet> current = txtRecordSet(zoneName, recordName);
            Set<String> values = current.map(GoogleCloudDnsProvider::values).orElseGet(LinkedHashSet::new);
            if (!edit.test(values)) {
                return Optional.empty();
            }
            try {
                return Optional.of(dns.changes().create(project, zoneName, change(recordName, current, values)).execute());
            } catch (GoogleJsonResponseException e) {
                if (!CHANGED_MEANWHILE.contains(e.getStatusCode()) || attempt == ATTEMPTS || txtRecordSet(zoneName, recordName).equals(current)) {
                    throw refused("change the TXT records of " + recordName, e);
                }
                // another writer changed the set since we read it: read it again
            } catch (IOException e) {
                throw refused("change the TXT records of " + recordName, e);
            }
        }
    }

    private static Change change(String recordName, Optional<ResourceRecordSet> current, Set<String> values) {
        Change change = new Change();
        current.ifPresent(set -> change.setDeletions(List.of(set)));
        if (!values.isEmpty()) {
            change.setAdditions(List.of(new ResourceRecordSet().setName(recordName).setType("TXT")
                    .setTtl(current.map(ResourceRecordSet::getTtl).orElse(NEW_RECORD_TTL))
                    .setRrdatas(values.stream().map(TxtStrings::quote).collect(Collectors.toList()))));
        }
        return change;
    }

    private Optional<ResourceRecordSet> txtRecordSet(String zoneName, String recordName) {
        try {
            List<ResourceRecordSet> sets = dns.resourceRecordSets().list(project, zoneName).setName(recordName)
                    .setType("TXT").execute().getRrsets();
            return sets == null ? Optional.empty() : sets.stream()
                    .filter(set -> "TXT".equals(set.getType()) && recordName.equalsIgnoreCase(set.getName()))
                    .findFirst();
        } catch (IOException e) {
            throw refused("read the TXT records of " + recordName, e);
        }
    }

    private static Set<String> values(ResourceRecordSet set) {
        return set.getRrdatas() == null ? new LinkedHashSet<>() : set.getRrdatas().stream().map(TxtStrings::unquote)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private String managedZone(String zone) {
        return managedZone.orElseGet(() -> zoneNames.computeIfAbsent(absolute(zone), this::findManagedZone));
    }

    private String findManagedZone(String dnsName) {
        List<ManagedZone> named;
        try {
            List<ManagedZone> zones = dns.managedZones().list(project).setDnsName(dnsName).execute().getManagedZones();
            named = zones == null ? List.of() : zones.stream().filter(zone -> dnsName.equalsIgnoreCase(zone.getDnsName()))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw refused("find the managed zone " + dnsName, e);
        }
        List<String> publicZones = named.stream()
                .filter(zone -> zone.getVisibility() == null || "public".equals(zone.getVisibility()))
                .map(ManagedZone::getName).collect(Collectors.toList());
        if (publicZones.size() == 1) {
            return publicZones.get(0);
        }
        throw new AutoCertException("Cloud DNS has " + (publicZones.isEmpty() ? "no" : publicZones.size()) + " public"
                + " managed zone" + (publicZones.size() > 1 ? "s" : "") + " for " + dnsName + " in the project " + project
                + (publicZones.isEmpty() ? "" : " (" + String.join(", ", publicZones) + ")")
                + "; set managed-zone to the one the domain is delegated to");
    }

    private void awaitDone(String zoneName, Change change, String name) {
        Instant deadline = clock.instant().plus(waitTimeout);
        Change current = change;
        while (!"done".equals(current.getStatus())) {
            if (!clock.instant().isBefore(deadline)) {
                throw new AutoCertException("Cloud DNS has not applied the change " + current.getId() + " to " + name
                        + " after " + waitTimeout.toSeconds() + " s (its status is still " + current.getStatus()
                        + "); raise wait-timeout if Cloud DNS is slow today");
            }
            pause();
            try {
                current = dns.changes().get(project, zoneName, current.getId()).execute();
            } catch (IOException e) {
                throw refused("read the status of the change " + current.getId(), e);
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AutoCertException("Interrupted while waiting for Cloud DNS to apply a change", e);
        }
    }

    private static AutoCertException refused(String action, IOException e) {
        if (!(e instanceof HttpResponseException response)) {
            // no answer from the API: the network, or the credential's own token request failed
            boolean tokenRefused = e.getClass().getName().startsWith("com.google.auth.");
            return new AutoCertException(tokenRefused
                    ? "The Google Cloud DNS API refused the credential: its access token could not be had: " + e.getMessage()
                    : "Cloud DNS could not be asked to " + action + ": " + e, e);
        }
        GoogleJsonError error = e instanceof GoogleJsonResponseException json ? json.getDetails() : null;
        String message = error != null && error.getMessage() != null ? error.getMessage() : response.getStatusMessage();
        Object status = error == null ? null : error.get("status");
        String detail = message + " (HTTP " + response.getStatusCode() + (status == null ? "" : " " + status) + ")";
        if (response.getStatusCode() == 401 || response.getStatusCode() == 403) {
            return new AutoCertException("The Google Cloud DNS API refused the credential: " + detail + ". Check the"
                    + " credential it was given (application default credentials or the service account key) and"
                    + " that it may change the managed zone's record sets", e);
        }
        if (response.getStatusCode() == 429) {
            return new AutoCertException("The Google Cloud DNS API is limiting the rate of requests and still was"
                    + " after a few retries: " + detail + "; try again later", e);
        }
        return new AutoCertException("The Google Cloud DNS API refused to " + action + ": " + detail, e);
    }

    private static String absolute(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }

    @Override
    public String toString() {
        return "google (project " + project + managedZone.map(zone -> ", managed zone " + zone).orElse("") + ")";
    }
}
