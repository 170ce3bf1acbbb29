package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.internal.topology.RegistryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid answers of the registry ({@code bad-topologies/registry}, with their own index) end in a
 * {@link TopologyException} whose problems point into the registry's JSON, like topology files.
 */
class BadTopologyRegistryTest {
    static Path registryCorpus() {
        return BadTopologyCorpusTest.corpus().resolve("registry");
    }

    static List<BadTopologyCorpusTest.Case> registryCases() {
        return BadTopologyCorpusTest.cases(registryCorpus().resolve("index.txt"));
    }

    /** Reads an answer as the registry source does and checks its refusal. */
    static TopologyException assertRefused(byte[] json, List<String> paths) {
        Refusals.Outcome outcome = Refusals.load(() -> RegistryJson.topology(json, "the registry (a test)"));
        assertThat(outcome.refusal()).as("the answer loaded as %s", outcome.topology()).isNotNull();
        TopologyException e = outcome.refusal();
        Refusals.assertWellFormed(e, paths.contains("(file)"), List.of());
        for (String path : paths) {
            String expected = path.equals("(file)") ? "" : path;
            assertThat(Refusals.hasPath(e, expected)).as("a problem at '%s' in %s", expected, e.getMessage()).isTrue();
        }
        return e;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registryCases")
    void everyBadAnswerIsRefusedWithItsPaths(BadTopologyCorpusTest.Case c) throws IOException {
        assertRefused(Files.readAllBytes(registryCorpus().resolve(c.file())), c.paths());
    }

    @Test
    void theRegistryCorpusIsListedAndCounted() throws IOException {
        List<BadTopologyCorpusTest.Case> cases = registryCases();
        try (var files = Files.list(registryCorpus())) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> !n.equals("index.txt")))
                    .as("every file is a case").containsExactlyInAnyOrderElementsOf(cases.stream().map(BadTopologyCorpusTest.Case::file).toList());
        }
        Figures.record(BadTopologyCorpusTest.SUITE, "invalid registry answers in the corpus", cases.size());
    }
}
