package dev.autocert4j.dns.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.Context;
import com.azure.resourcemanager.dns.fluent.RecordSetsClient;
import com.azure.resourcemanager.dns.fluent.models.RecordSetInner;
import com.azure.resourcemanager.dns.models.RecordType;
import com.azure.resourcemanager.dns.models.TxtRecord;
import dev.autocert4j.AutoCertException;
import dev.autocert4j.spi.DnsProvider;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * TXT records in an Azure DNS zone. Azure DNS keeps all values of a name in one record set with an ETag,
 * so a change reads the set, adds or removes our value, and writes it back only if the set is still the one
 * read ({@code If-Match} its ETag, or {@code If-None-Match: *} for a new set): if another writer changed it
 * in between, Azure answers 412, and the change is read and tried again, so a value another certificate put
 * there is never lost.
 */
final class AzureDnsProvider implements DnsProvider {

    private static final long NEW_RECORD_TTL = 60;
    private static final int ATTEMPTS = 5;
    private static final int MAX_STRING_LENGTH = 255;
    private static final int NOT_FOUND = 404;
    private static final int PRECONDITION_FAILED = 412;

    private final RecordSetsClient recordSets;
    private final String resourceGroup;

    AzureDnsProvider(RecordSetsClient recordSets, String resourceGroup) {
        this.recordSets = recordSets;
        this.resourceGroup = resourceGroup;
    }

    @Override
    public void addTxtRecord(String zone, String name, String value) {
        changeValues(zone, name, values -> values.add(value));
    }

    @Override
    public void removeTxtRecord(String zone, String name, String value) {
        changeValues(zone, name, values -> values.remove(value));
    }

    private void changeValues(String zone, String name, Predicate<Set<String>> edit) {
        String zoneName = bare(zone);
        String relativeName = relativeName(zoneName, bare(name));
        for (int attempt = 1; ; attempt++) {
            Optional<RecordSetInner> current = txtRecordSet(zoneName, relativeName);
            Set<String> values = current.map(AzureDnsProvider::values).orElseGet(LinkedHashSet::new);
            if (!edit.test(values)) {
                return;
            }
            try {
                write(zoneName, relativeName, current, values);
                return;
            } catch (ManagementException e) {
                if (e.getResponse().getStatusCode() != PRECONDITION_FAILED || attempt == ATTEMPTS) {
                    throw refused("change the TXT records of " + relativeName + " in " + zoneName, e);
                }
                // another writer changed the set since we read it: read it again
            } catch (RuntimeException e) {
                throw failed("change the TXT records of " + relativeName + " in " + zoneName, e);
            }
        }
    }

    private void write(String zoneName, String relativeName, Optional<RecordSetInner> current, Set<String> values) {
        if (values.isEmpty()) {
            recordSets.deleteWithResponse(resourceGroup, zoneName, relativeName, RecordType.TXT, current.get().etag(),
                    Context.NONE);
            return;
        }
        RecordSetInner set = new RecordSetInner()
                .withTtl(current.map(RecordSetInner::ttl).orElse(NEW_RECORD_TTL))
                .withMetadata(current.map(RecordSetInner::metadata).orElse(null))
                .withTxtRecords(values.stream().map(value -> new TxtRecord().withValue(split(value)))
                        .collect(Collectors.toList()));
        recordSets.createOrUpdateWithResponse(resourceGroup, zoneName, relativeName, RecordType.TXT, set,
                current.map(RecordSetInner::etag).orElse(null), current.isPresent() ? null : "*", Context.NONE);
    }

    private Optional<RecordSetInner> txtRecordSet(String zoneName, String relativeName) {
        try {
            return Optional.of(recordSets.getWithResponse(resourceGroup, zoneName, relativeName, RecordType.TXT,
                    Context.NONE).getValue());
        } catch (ManagementException e) {
            if (e.getResponse().getStatusCode() == NOT_FOUND && !"ResourceNotFound".equals(code(e))
                    && !"ParentResourceNotFound".equals(code(e))) {
                return Optional.empty();
            }
            throw refused("read the TXT records of " + relativeName + " in " + zoneName, e);
        } catch (RuntimeException e) {
            throw failed("read the TXT records of " + relativeName + " in " + zoneName, e);
        }
    }

    private static Set<String> values(RecordSetInner set) {
        return set.txtRecords() == null ? new LinkedHashSet<>() : set.txtRecords().stream()
                .map(record -> record.value() == null ? "" : String.join("", record.value()))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Azure takes a TXT value as strings of at most 255 characters, and joins them. */
    private static List<String> split(String value) {
        List<String> strings = new ArrayList<>();
        for (int start = 0; start < value.length(); start += MAX_STRING_LENGTH) {
            strings.add(value.substring(start, Math.min(value.length(), start + MAX_STRING_LENGTH)));
        }
        return strings.isEmpty() ? List.of("") : strings;
    }

    private AutoCertException refused(String action, ManagementException e) {
        int status = e.getResponse().getStatusCode();
        String detail = message(e) + " (" + (code(e) == null ? "" : code(e) + ", ") + "HTTP " + status + ")";
        if (status == 401 || status == 403) {
            return new AutoCertException("The Azure DNS API refused the credential: " + detail + ". Check the"
                    + " credential it was given (DefaultAzureCredential or the service principal) and that it has"
                    + " the DNS Zone Contributor role on the zone", e);
        }
        if (status == 429) {
            return new AutoCertException("The Azure DNS API is limiting the rate of requests and still was after"
                    + " the SDK's retries: " + detail + "; try again later", e);
        }
        if (status == NOT_FOUND) {
            return new AutoCertException("The Azure DNS API could not " + action + ": " + detail + "; check"
                    + " subscription-id, resource-group and that the zone is a public Azure DNS zone there", e);
        }
        return new AutoCertException("The Azure DNS API refused to " + action + ": " + detail, e);
    }

    private static AutoCertException failed(String action, RuntimeException e) {
        if (e instanceof ClientAuthenticationException || e.getClass().getName().startsWith("com.azure.identity.")) {
            return new AutoCertException("The Azure DNS API refused the credential: no access token could be had: "
                    + e.getMessage(), e);
        }
        if (e instanceof HttpResponseException response) {
            return new AutoCertException("The Azure DNS API refused to " + action + ": " + response.getMessage(), e);
        }
        return new AutoCertException("Azure DNS could not be asked to " + action + ": " + e, e);
    }

    private static String code(ManagementException e) {
        ManagementError error = e.getValue();
        return error == null ? null : error.getCode();
    }

    private static String message(ManagementException e) {
        ManagementError error = e.getValue();
        return error == null || error.getMessage() == null ? e.getMessage() : error.getMessage();
    }

    static String relativeName(String zone, String name) {
        if (name.equals(zone)) {
            return "@";
        }
        if (!name.endsWith("." + zone)) {
            throw new AutoCertException("The name " + name + " is not in the zone " + zone);
        }
        return name.substring(0, name.length() - zone.length() - 1);
    }

    private static String bare(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    @Override
    public String toString() {
        return "azure (resource group " + resourceGroup + ")";
    }
}
