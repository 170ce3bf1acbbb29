package dev.backendrouter.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.backendrouter.api.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Every example in docs/ is valid against docs/topology.schema.json and loads with the loader. */
class DocumentedExamplesTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern OVERLAY = Pattern.compile("(.+)-(seed|wip|prep|ship|prod)\\.(yaml|yml|json)");
    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = Files.newInputStream(DOCS.resolve("topology.schema.json"))) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.walk(DOCS.resolve("examples"))) {
            List<Path> list = files.filter(f -> f.toString().matches(".*\\.(yaml|yml|json)"))
                    .filter(f -> !OVERLAY.matcher(f.getFileName().toString()).matches())
                    .sorted().toList();
            assertThat(list).hasSizeGreaterThanOrEqualTo(5);
            return list.stream();
        }
    }

    static Stream<Path> overlays() throws IOException {
        try (Stream<Path> files = Files.walk(DOCS.resolve("examples"))) {
            List<Path> list = files.filter(f -> OVERLAY.matcher(f.getFileName().toString()).matches()).sorted().toList();
            assertThat(list).isNotEmpty();
            return list.stream();
        }
    }

    private static JsonNode tree(Path file) throws IOException {
        ObjectMapper mapper = file.toString().endsWith(".json") ? JsonMapper.builder().build() : YAMLMapper.builder().build();
        return mapper.readTree(Files.readAllBytes(file));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleMatchesTheSchemaAndLoads(Path example) throws IOException {
        List<Error> errors = schema.validate(tree(example));
        assertThat(errors).as("schema errors in %s", example).isEmpty();
        Topology topology = TopologySource.file(example).withEnvironment(name -> null).load();
        assertThat(topology.groups()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void overlayLoadsForItsStage(Path overlay) {
        Matcher matcher = OVERLAY.matcher(overlay.getFileName().toString());
        assertThat(matcher.matches()).isTrue();
        Path base = overlay.resolveSibling(matcher.group(1) + "." + matcher.group(3));
        Topology topology = TopologySource.file(base).forStage(matcher.group(2)).withEnvironment(name -> null).load();
        assertThat(topology.stage()).isEqualTo(matcher.group(2));
    }

    @Test
    void schemaRejectsWhatTheLoaderRejects() throws IOException {
        YAMLMapper yaml = YAMLMapper.builder().build();
        assertThat(schema.validate(yaml.readTree("service: s\nbackends: [ { name: a } ]\n"))).isNotEmpty();
        assertThat(schema.validate(yaml.readTree("service: s\nbackends: [ { name: a, url: 'http://h', role: MASTER } ]\n")))
                .isNotEmpty();
        assertThat(schema.validate(yaml.readTree("service: s\nbackends: [ { name: a, url: 'http://h', prority: 1 } ]\n")))
                .isNotEmpty();
        assertThat(schema.validate(yaml.readTree("service: s\nbackends: [ { name: a, url: 'ftp://h' } ]\n"))).isNotEmpty();
        assertThat(schema.validate(yaml.readTree("service: s\nbackends: [ { name: a, url: 'http://h', weight: 0 } ]\n")))
                .isNotEmpty();
        assertThat(schema.validate(yaml.readTree("service: s\ngroups: { Bad_Name: { backends: [ { name: a, url: 'http://h' } ] } }\n")))
                .isNotEmpty();
        assertThat(schema.validate(yaml.readTree("service: s\nbackends: [ { name: a, url: 'http://h', routingKey: users } ]\n")))
                .isNotEmpty();
        assertThat(schema.validate(yaml.readTree("service: s\nbackends: [ { name: a, url: '${A_URL}', weight: '${W:5}' } ]\n")))
                .isEmpty();
    }
}
