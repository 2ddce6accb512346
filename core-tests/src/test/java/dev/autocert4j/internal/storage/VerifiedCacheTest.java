package dev.autocert4j.internal.storage;

import dev.autocert4j.IssuedCertificate;
import dev.autocert4j.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory stays bounded however many certificates handshakes load: whole certificates (with their
 * private key) only for the most recently used, the metadata of every one.
 */
class VerifiedCacheTest {

    private static final List<IssuedCertificate> CERTIFICATES = IntStream.range(0, 4)
            .mapToObj(i -> TestCertificates.issued("site" + i + ".example.com")).toList();

    @Test
    void beyondItsCapacityTheLeastRecentlyUsedCertificateIsLetGoAndItsMetadataKept() {
        VerifiedCache cache = new VerifiedCache(2);
        put(cache, 0);
        put(cache, 1);
        assertThat(cache.certificate("k0", "v0")).isSameAs(CERTIFICATES.get(0)); // 0 used after 1

        put(cache, 2);

        assertThat(cache.certificate("k1", "v1")).as("the least recently used").isNull();
        assertThat(cache.metadata("k1", "v1")).isEqualTo(CERTIFICATES.get(1).metadata());
        assertThat(cache.certificate("k0", "v0")).isSameAs(CERTIFICATES.get(0));
        assertThat(cache.certificate("k2", "v2")).isSameAs(CERTIFICATES.get(2));
        assertThat(cache.certificatesKept()).isEqualTo(2);
    }

    @Test
    void aThousandAndOneCertificatesLoadedKeepAThousandWithTheirKey() {
        VerifiedCache cache = new VerifiedCache();
        for (int i = 0; i <= VerifiedCache.DEFAULT_KEY_CAPACITY; i++) {
            cache.put("k" + i, "v", CERTIFICATES.get(i % 4).metadata(), CERTIFICATES.get(i % 4));
        }

        assertThat(cache.certificatesKept()).isEqualTo(VerifiedCache.DEFAULT_KEY_CAPACITY);
        assertThat(cache.certificate("k0", "v")).isNull();
        assertThat(cache.metadata("k0", "v")).isNotNull();
    }

    @Test
    void anotherVersionIsNeverAnsweredFromTheCache() {
        VerifiedCache cache = new VerifiedCache(2);
        put(cache, 0);

        assertThat(cache.certificate("k0", "written by someone else")).isNull();
        assertThat(cache.metadata("k0", "written by someone else")).isNull();
    }

    @Test
    void forgettingAnEntryFreesItsPlace() {
        VerifiedCache cache = new VerifiedCache(2);
        put(cache, 0);
        put(cache, 1);
        cache.forget("k0");
        put(cache, 2);

        assertThat(cache.certificate("k1", "v1")).isSameAs(CERTIFICATES.get(1));
        assertThat(cache.certificatesKept()).isEqualTo(2);
    }

    private static void put(VerifiedCache cache, int i) {
        cache.put("k" + i, "v" + i, CERTIFICATES.get(i).metadata(), CERTIFICATES.get(i));
    }
}
