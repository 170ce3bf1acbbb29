package dev.backendrouter.docscheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md and docs/**.md compiles against the modules it
 * describes. One test per block, named after its file and line; the convention is in
 * docs/development.md, "Code samples in the docs".
 */
class DocsCompileTest {
    @TempDir
    static Path classes;
    private static SampleCompiler compiler;

    @BeforeAll
    static void compiler() {
        compiler = new SampleCompiler(SampleCompiler.currentClassPath(), classes);
    }

    @AfterAll
    static void close() throws IOException {
        compiler.close();
    }

    @TestFactory
    Stream<DynamicNode> everyJavaBlockCompiles() throws IOException {
        Path root = docsRoot();
        List<Path> pages = markdownPages(root);
        List<DynamicNode> files = new ArrayList<>();
        int blocks = 0;
        for (Path page : pages) {
            String name = root.relativize(page).toString().replace('\\', '/');
            List<JavaSample> samples = JavaSample.extract(name, Files.readAllLines(page, StandardCharsets.UTF_8));
            blocks += samples.size();
            if (!samples.isEmpty()) {
                files.add(DynamicContainer.dynamicContainer(name, samples.stream().map(DocsCompileTest::compiles)));
            }
        }
        assertThat(blocks).as("```java blocks in README.md and docs/ (%s pages read)", pages.size()).isPositive();
        return files.stream();
    }

    private static DynamicTest compiles(JavaSample sample) {
        return DynamicTest.dynamicTest(sample.where(), () -> {
            String problems = compiler.compile(SampleUnit.of(sample));
            assertThat(problems).withFailMessage("%s", problems).isEmpty();
        });
    }

    /** README.md, then every Markdown file under docs/, in a stable order. */
    static List<Path> markdownPages(Path root) throws IOException {
        Path readme = root.resolve("README.md");
        Path docs = root.resolve("docs");
        assertThat(readme).as("README.md under the docs root %s", root).isRegularFile();
        assertThat(docs).as("docs/ under the docs root %s", root).isDirectory();
        List<Path> pages = new ArrayList<>();
        pages.add(readme);
        try (Stream<Path> walk = Files.walk(docs)) {
            walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The repository root: the {@code docs.root} property surefire sets, else the parent of the module directory. */
    static Path docsRoot() {
        String configured = System.getProperty("docs.root");
        Path root = configured != null ? Path.of(configured) : Path.of(System.getProperty("user.dir")).resolve("..");
        return root.toAbsolutePath().normalize();
    }
}
