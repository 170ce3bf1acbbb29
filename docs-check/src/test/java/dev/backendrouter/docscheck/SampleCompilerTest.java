package dev.backendrouter.docscheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The docs check itself: what counts as a block, how it is wrapped, what a failure says. */
class SampleCompilerTest {
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

    @Test
    void findsOnlyJavaBlocksAndKeepsTheirLines() {
        List<JavaSample> samples = JavaSample.extract("docs/x.md", List.of(
                "# Title",                       // 1
                "```yaml",                       // 2
                "service: s",                    // 3
                "```",                           // 4
                "- an item:",                    // 5
                "  ```java",                     // 6
                "  int a = 1;",                  // 7
                "  ```",                         // 8
                "```text",                       // 9
                "not java",                      // 10
                "```",                           // 11
                "````java",                      // 12
                "String s = \"```\";",           // 13
                "````",                          // 14
                "  ```` ```java ```` is inline", // 15
                "~~~java",                       // 16
                "int b = 2;",                    // 17
                "~~~"));                         // 18
        assertThat(samples).hasSize(3);
        assertThat(samples.get(0).where()).isEqualTo("docs/x.md:6");
        assertThat(samples.get(0).lines()).containsExactly("int a = 1;");
        assertThat(samples.get(0).markdownLine(0)).isEqualTo(7);
        assertThat(samples.get(1).lines()).containsExactly("String s = \"```\";");
        assertThat(samples.get(2).where()).isEqualTo("docs/x.md:16");
        assertThat(samples.get(2).lines()).containsExactly("int b = 2;");
    }

    @Test
    void aFragmentRunsInAMethodWithTheRouterFieldAndHoistedImports() {
        SampleUnit unit = SampleUnit.of(sample(
                "import java.util.concurrent.atomic.AtomicLong;",
                "",
                "AtomicLong calls = new AtomicLong();",
                "RoutedGroup users = router.group(\"users\");"));
        assertThat(unit.kind()).isEqualTo(SampleUnit.Kind.FRAGMENT);
        assertThat(unit.source()).contains("class DocSample {\n    BackendRouter router;\n    void sample() throws Exception {\n");
        assertThat(unit.source().indexOf("import java.util.concurrent.atomic.AtomicLong;"))
                .isLessThan(unit.source().indexOf("class DocSample"));
        assertThat(compiler.compile(unit)).isEmpty();
    }

    @Test
    void aBlockThatDeclaresATypeIsACompilationUnitNamedAfterItsPublicType() {
        SampleUnit unit = SampleUnit.of(sample(
                "import java.util.function.Supplier;",
                "",
                "/** A comment first. */",
                "@SuppressWarnings(\"unused\")",
                "public class Greeter implements Supplier<String> {",
                "    public String get() { return \"hi\"; }",
                "}"));
        assertThat(unit.kind()).isEqualTo(SampleUnit.Kind.COMPILATION_UNIT);
        assertThat(unit.className()).isEqualTo("Greeter");
        assertThat(compiler.compile(unit)).isEmpty();
    }

    @Test
    void aFailureNamesTheMarkdownLineJavacsMessageAndTheCode() {
        JavaSample sample = new JavaSample("docs/routing.md", 40, List.of(
                "String ok = \"fine\";",
                "String file = router.group(\"storage\").read(null, member -> blobs(member.url()));"));
        String report = compiler.compile(SampleUnit.of(sample));
        assertThat(report)
                .startsWith("docs/routing.md:40: the ```java block (compiled as a fragment) does not compile:")
                .contains("docs/routing.md:42: error: cannot find symbol")
                .contains("symbol:   method blobs(")
                .contains("| String file = router.group(\"storage\")");
    }

    @Test
    void deprecatedApisFailTheCheck() {
        String report = compiler.compile(SampleUnit.of(sample("Integer boxed = new Integer(3);")));
        assertThat(report).contains("docs/x.md:2: warning: Integer(int) in java.lang.Integer has been deprecated and marked for removal");
    }

    @Test
    void aBlockThatDoesNotCloseItsBracesIsReportedToo() {
        String report = compiler.compile(SampleUnit.of(sample("if (true) {")));
        assertThat(report).contains("docs/x.md:1 (in the scaffold around the block): error:");
    }

    private static JavaSample sample(String... lines) {
        return new JavaSample("docs/x.md", 1, List.of(lines));
    }
}
