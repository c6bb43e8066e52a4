import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.data.ImageSet;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.Tensors;
import org.metagan.ssl.SslData;
import org.metagan.ssl.SslGan;
import org.metagan.ssl.SslMethod;
import org.metagan.train.TrainingData;

/**
 * One GAN step of ssl-train on fixed inputs, for scripts/ssl_step_check.py to recompute in PyTorch: builds SslGan (mlp,
 * lr, seed 1), initialises it on the 100 labelled images of (mnist, 10 per class, label seed 1, validation 1000), writes
 * every tensor before the step (before/NAME.f32 + shapes.txt), the batches (labelled, labels, the first 100 pool images),
 * the two latent batches the step draws (z1 for the discriminator, z2 for the generator), the step's losses, and every
 * tensor after the step (after/, with the gradients the step used as NAME.grad.f32). The discriminator's noise is off (evaluation mode) so that both sides compute the same
 * function; everything else is the training step as ssl-train runs it.
 *
 *   java -cp "target/classes:$(cat target/classpath.txt)" scripts/SslStepCheck.java OUT_DIR LR
 */
public class SslStepCheck {
    public static void main(String[] a) throws IOException {
        org.metagan.core.Engine.init(1, "cpu");
        Path out = Path.of(a[0]);
        double lr = Double.parseDouble(a[1]);
        TrainingData data = TrainingData.load("mnist", null, null, 0);
        SslData split = SslData.draw(data.train(), 10, 1, 1000, 0);
        ImageShape shape = new ImageShape(1, 28, 28);
        SslGan gan = new SslGan(shape, 10, "mlp", SslMethod.GAN, 100, lr, 1);
        ImageSet lab = split.labelled();
        Tensor x = Tensors.fromFloats(lab.pixels(), lab.size(), 1, 28, 28);
        gan.initialiseFromData(x);
        long[] ly = new long[lab.size()];
        for (int i = 0; i < ly.length; i++) {
            ly[i] = lab.labels()[i];
        }
        float[] up = java.util.Arrays.copyOf(split.pool().pixels(), 100 * 784);
        Tensor u = Tensors.fromFloats(up, 100, 1, 28, 28);
        dump(out.resolve("before"), gan);
        Rng noise = new Rng(42);
        Rng copy = new Rng(42);
        writeF(out.resolve("z1.f32"), copy.gaussians(new float[100 * 100]));
        writeF(out.resolve("z2.f32"), copy.gaussians(new float[100 * 100]));
        writeF(out.resolve("labelled.f32"), lab.pixels());
        writeF(out.resolve("pool100.f32"), up);
        int[] labels = lab.labels();
        ByteBuffer lb = ByteBuffer.allocate(labels.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        lb.asIntBuffer().put(labels);
        Files.write(out.resolve("labels.i32"), lb.array());
        gan.discriminator().setTraining(false);
        SslGan.Losses l = gan.stepGan(x, Tensors.fromLongs(ly), u, noise);
        Files.writeString(out.resolve("losses.txt"), l.supervised() + " " + l.unsupervised() + " " + l.featureMatching() + " "
                + l.realLse() + " " + l.fakeLse() + "\n");
        dump(out.resolve("after"), gan);
        System.out.println(l);
    }

    static void dump(Path dir, SslGan gan) throws IOException {
        Files.createDirectories(dir);
        StringBuilder shapes = new StringBuilder();
        for (var e : Map.of("d", gan.discriminator().parameters(), "dbuf", gan.discriminator().buffers(), "g",
                gan.generator().parameters(), "gbuf", gan.generator().buffers()).entrySet()) {
            for (var t : ((ParameterSet) e.getValue()).asMap().entrySet()) {
                String name = e.getKey() + "." + t.getKey();
                writeF(dir.resolve(name + ".f32"), Tensors.toFloats(t.getValue().detach()));
                Tensor grad = t.getValue().grad();
                if (grad != null && grad.defined()) {
                    writeF(dir.resolve(name + ".grad.f32"), Tensors.toFloats(grad));
                }
                shapes.append(name).append(' ').append(java.util.Arrays.toString(Tensors.shape(t.getValue()))).append('\n');
            }
        }
        Files.writeString(dir.resolve("shapes.txt"), shapes.toString());
    }

    static void writeF(Path f, float[] v) throws IOException {
        ByteBuffer px = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        px.asFloatBuffer().put(v);
        Files.write(f, px.array());
    }
}
