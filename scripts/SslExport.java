import java.io.DataOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.metagan.data.ImageSet;
import org.metagan.ssl.SslData;
import org.metagan.train.TrainingData;

/**
 * Writes the data ssl-train uses (SslData.draw with the same dataset, labels per class, label seed and validation size)
 * as raw little-endian files for the PyTorch peer scripts/ssl_gan_peer.py: NAME.f32 pixels [N, 784] in [-1, 1] and
 * NAME.i32 labels [N], for labelled, pool (labels erased), validation and test.
 *
 *   java -cp "target/classes:$(cat target/classpath.txt)" scripts/SslExport.java DATASET PER_CLASS LABEL_SEED VALIDATION_SIZE OUT_DIR
 */
public class SslExport {
    public static void main(String[] a) throws IOException {
        TrainingData data = TrainingData.load(a[0], null, null, 0);
        SslData split = SslData.draw(data.train(), Integer.parseInt(a[1]), Long.parseLong(a[2]), Integer.parseInt(a[3]), 0);
        Path out = Path.of(a[4]);
        Files.createDirectories(out);
        write(out, "labelled", split.labelled());
        write(out, "pool", split.pool());
        write(out, "validation", split.validation());
        write(out, "test", data.test());
        System.out.println(split + ", test " + data.test().size());
    }

    static void write(Path dir, String name, ImageSet s) throws IOException {
        ByteBuffer px = ByteBuffer.allocate(s.pixels().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        px.asFloatBuffer().put(s.pixels());
        Files.write(dir.resolve(name + ".f32"), px.array());
        ByteBuffer lb = ByteBuffer.allocate(s.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        lb.asIntBuffer().put(s.labels());
        Files.write(dir.resolve(name + ".i32"), lb.array());
    }
}
