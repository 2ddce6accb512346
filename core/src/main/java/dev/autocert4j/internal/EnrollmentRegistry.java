package dev.autocert4j.internal;

import dev.autocert4j.EnrollmentRequest;
import dev.autocert4j.InvalidInputException;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The enrollments under management, by name. Thread-safe; each enrollment guards its own state. */
final class EnrollmentRegistry {

    private final Map<String, ManagedEnrollment> managed = new ConcurrentHashMap<>();
    private final Clock clock;

    /** @param clock the time a new enrollment is first due */
    EnrollmentRegistry(Clock clock) {
        this.clock = clock;
    }

    /**
     * The enrollment of the request's name, new (due now) or managed already, locked and changed
     * to the request. The caller unlocks it.
     */
    ManagedEnrollment lockedEntryFor(EnrollmentRequest request) {
        ManagedEnrollment entry = managed.computeIfAbsent(request.domain(), name -> new ManagedEnrollment(request,
                clock.instant()));
        entry.lock();
        entry.requested(request);
        return entry;
    }

    /** @return the enrollment of that name, or {@code null} if it is not managed */
    ManagedEnrollment get(String domain) {
        return managed.get(domain);
    }

    /**
     * @return the enrollment of that name
     * @throws InvalidInputException if it is not managed
     */
    ManagedEnrollment require(String domain) {
        ManagedEnrollment entry = managed.get(domain);
        if (entry == null) {
            throw new InvalidInputException("domain", domain, "is not managed: enroll it, or call start() to resume"
                    + " stored enrollments");
        }
        return entry;
    }

    boolean contains(String domain) {
        return managed.containsKey(domain);
    }

    /** @return whether this very enrollment is still the one managed under its name */
    boolean stillManages(ManagedEnrollment entry) {
        return managed.get(entry.name()) == entry;
    }

    /** @return the enrollment no longer managed, or {@code null} if none was */
    ManagedEnrollment remove(String domain) {
        return managed.remove(domain);
    }

    /** @return whether this very enrollment was managed and is no longer */
    boolean remove(ManagedEnrollment entry) {
        return managed.remove(entry.name(), entry);
    }

    /** @return the enrollments managed now */
    List<ManagedEnrollment> all() {
        return List.copyOf(managed.values());
    }

    /** @return the enrollments whose next check is due at {@code now} */
    List<ManagedEnrollment> dueAt(Instant now) {
        return managed.values().stream().filter(entry -> !now.isBefore(entry.nextCheck())).toList();
    }

    /** @return the earliest instant at which an enrollment is to be looked at */
    Optional<Instant> earliestCheck() {
        return managed.values().stream().map(ManagedEnrollment::nextCheck).min(Instant::compareTo);
    }

    /** @return the managed requests */
    List<EnrollmentRequest> requests() {
        return managed.values().stream().map(ManagedEnrollment::request).toList();
    }

    /** @return the managed names */
    List<String> names() {
        return List.copyOf(managed.keySet());
    }
}
