package org.metagan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @Test
    void write_headerAlignedTo64AndValuesLittleEndian(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.npy");
        Npy.write(f, new float[] {1.5f, -2f, 3f, 0.25f, 7f, 8f}, 2, 3);
        byte[] all = Files.readAllBytes(f);
        assertThat(all[0] & 0xff).isEqualTo(0x93);
        assertThat(new String(all, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
        int headerLength = (all[8] & 0xff) | (all[9] & 0xff) << 8;
        assertThat((10 + headerLength) % 64).isZero();
        String header = new String(all, 10, headerLength, StandardCharsets.US_ASCII);
        assertThat(header).contains("'descr': '<f4'", "'fortran_order': False", "'shape': (2, 3)").endsWith("\n");
        ByteBuffer values = ByteBuffer.wrap(all, 10 + headerLength, 24).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(values.getFloat()).isEqualTo(1.5f);
        assertThat(values.getFloat()).isEqualTo(-2f);
        assertThat(all.length).isEqualTo(10 + headerLength + 24);
    }

    @Test
    void write_oneDimensionalShapeHasTrailingComma(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("b.npy");
        Npy.write(f, new float[] {1f, 2f}, 2);
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.US_ASCII)).contains("'shape': (2,)");
    }
}
