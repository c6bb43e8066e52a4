package org.metagan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.metagan.cli.Main;

class BenchCommandTest {
    @Test
    void merge_replacesOnlyTheMeasuredSection() {
        String before = "# Benchmarks\n\nprose above\n\n" + BenchCommand.BEGIN + "\nold table\n" + BenchCommand.END + "\nprose below\n";
        String after = BenchCommand.merge(before, "new table\n");
        assertThat(after).contains("prose above", "prose below", "new table").doesNotContain("old table");
        assertThat(after.indexOf(BenchCommand.BEGIN)).isEqualTo(after.lastIndexOf(BenchCommand.BEGIN));
    }

    @Test
    void merge_newFileGetsTitleAndMarkers() {
        String md = BenchCommand.merge(null, "table\n");
        assertThat(md).startsWith("# Benchmarks").contains(BenchCommand.BEGIN + "\ntable\n" + BenchCommand.END);
    }

    @Test
    void badPythonOption_isUsageError() {
        StringWriter err = new StringWriter();
        int code = BenchCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "--python", "maybe");
        assertThat(code).isEqualTo(Main.USAGE_ERROR);
        assertThat(err.toString()).contains("expected --python auto or off but found 'maybe'");
    }

    @Test
    void vectorFlags_nameAvx2AndTheAvx512Extensions() {
        assertThat(Bench.vectorFlags(java.util.List.of("fpu", "avx", "avx2", "avx512f", "avx512bw", "avx512_vnni")))
                .isEqualTo("AVX2, AVX-512 (f, bw, vnni)");
        assertThat(Bench.vectorFlags(java.util.List.of("fpu", "avx", "avx2"))).isEqualTo("AVX2, no AVX-512");
        assertThat(Bench.vectorFlags(java.util.List.of("sse4_2"))).isEqualTo("no AVX2, no AVX-512");
    }
}
