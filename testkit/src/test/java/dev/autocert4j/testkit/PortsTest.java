package dev.autocert4j.testkit;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PortsTest {

    private static final int LOWEST = 19_000;
    private static final int HIGHEST = 19_009;

    @Test
    void aPortAnotherTestJvmHasNamedButNotBoundIsNeverHandedOutHere() throws Exception {
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OtherTestJvm.class.getName(),
                String.valueOf(LOWEST), String.valueOf(HIGHEST), String.valueOf(HIGHEST - LOWEST))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            Set<Integer> takenThere = readPorts(other, HIGHEST - LOWEST);

            int here = Ports.free(LOWEST, HIGHEST);

            assertThat(takenThere).hasSize(HIGHEST - LOWEST).doesNotContain(here);
            assertThat(here).isBetween(LOWEST, HIGHEST);
        } finally {
            other.getOutputStream().close(); // lets it end, which drops its reservations
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void portsAreFreeOnLoopbackAndHandedOutOncePerJvm() {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ports.add(Ports.free());
        }

        assertThat(new HashSet<>(ports)).hasSize(20);
        assertThat(ports).allSatisfy(port -> assertThat(port).isBetween(20_000, 65_535));
    }

    private static Set<Integer> readPorts(Process process, int count) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String line = lines.readLine();
            assertThat(line).as("port %d of %d from the other JVM", i + 1, count).isNotNull();
            ports.add(Integer.parseInt(line.strip()));
        }
        return ports;
    }

    /** Another test JVM: takes ports from a range, prints them, and holds them until its input closes. */
    static final class OtherTestJvm {
        public static void main(String[] args) throws Exception {
            int lowest = Integer.parseInt(args[0]);
            int highest = Integer.parseInt(args[1]);
            int count = Integer.parseInt(args[2]);
            for (int i = 0; i < count; i++) {
                System.out.println(Ports.free(lowest, highest));
            }
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the reservations until the test is done
            }
        }
    }
}
