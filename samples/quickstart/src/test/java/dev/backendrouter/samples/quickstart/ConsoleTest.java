package dev.backendrouter.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTest {

    @Test
    void pipedOutputIsPlainAndSkipsTheLiveLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        console.heading(1, "Failover");
        console.progress("reads 10 · failed 0");
        console.milestone("primary killed");
        console.verdict(true, "no read failed");
        console.table(List.of("#", "scene", ""), List.of(List.of("1", "Failover", "PASS")));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("\u001b", "\r", "reads 10");
        assertThat(out).contains("── 1. Failover", "   · primary killed", "✔ PASS  no read failed",
                "   #  scene\n", "   1  Failover  PASS\n");
    }

    @Test
    void aTerminalGetsColourAndALineRedrawnInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        console.progress("reads 10");
        console.progress("reads 20");
        console.verdict(false, "a read failed");
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("\r\u001b[2K   \u001b[2mreads 20", "\u001b[31m✘ FAIL");
    }
}
