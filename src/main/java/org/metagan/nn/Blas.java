package org.metagan.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;

/**
 * Which BLAS library runs libtorch's fp32 matrix products ({@code mm}, {@code addmm}: linear layers, LSTM gates) in this
 * process, read from what the process has loaded, not from how it was started. bytedeco's libtorch calls {@code sgemm_}
 * of the library loaded under the name {@code libopenblas.so.0}: OpenBLAS by default, Intel oneMKL's {@code mkl_rt} when
 * the JVM runs with {@code -Dorg.bytedeco.openblas.load=mkl_rt} (the Maven profile {@code mkl}; docs/PERFORMANCE-BLAS.md).
 * The vendor is told by a symbol only its library exports ({@code MKL_Get_Version_String}, {@code openblas_get_config});
 * the library file and MKL's threading layer by the files mapped in {@code /proc/self/maps} (Linux).
 */
public final class Blas {
    private Blas() {}

    /** The BLAS vendors this class tells apart. */
    public enum Vendor { OPENBLAS, MKL, UNKNOWN }

    /**
     * @param vendor    whose {@code sgemm_} libtorch calls; {@link Vendor#UNKNOWN} when neither or both are loaded
     * @param library   the library file that provides it (its bytedeco artifact's folder and name), or "" when unknown
     * @param threading how MKL runs a product on several threads (its threading layer), or "" for OpenBLAS
     */
    public record Loaded(Vendor vendor, String library, String threading) {
        /** One line for reports, e.g. "Intel oneMKL (libmkl_rt.so.2 of mkl-2025.3-1.5.13-linux-x86_64-redist.jar), threading layer GNU". */
        public String describe() {
            return switch (vendor) {
                case OPENBLAS -> "OpenBLAS (" + library + ")";
                case MKL -> "Intel oneMKL (" + library + "), threading layer " + threading;
                case UNKNOWN -> "unknown (" + library + ")";
            };
        }
    }

    /**
     * Runs one small fp32 product through libtorch on the factory's device (MKL loads its threading layer on the first CPU
     * product; on CUDA the product goes to cuBLAS and the layer reads "not loaded yet"), then reads what is loaded.
     */
    public static Loaded loaded() {
        try (PointerScope scope = new PointerScope()) {
            torch.mm(Tensors.ones(16, 16), Tensors.ones(16, 16));
        }
        return classify(Loader.addressof("MKL_Get_Version_String") != null, Loader.addressof("openblas_get_config") != null, mappedFiles());
    }

    /**
     * @param mklSymbol      an MKL-only symbol is loaded in the process
     * @param openblasSymbol an OpenBLAS-only symbol is loaded in the process
     * @param mappedFiles    the paths of the files the process has mapped
     */
    static Loaded classify(boolean mklSymbol, boolean openblasSymbol, List<String> mappedFiles) {
        if (mklSymbol && !openblasSymbol) {
            String threading = mapped(mappedFiles, "libmkl_gnu_thread").map(f -> "GNU (libtorch's OpenMP threads)")
                    .or(() -> mapped(mappedFiles, "libmkl_intel_thread").map(f -> "INTEL (a second OpenMP runtime, libiomp5: set MKL_THREADING_LAYER=GNU)"))
                    .or(() -> mapped(mappedFiles, "libmkl_sequential").map(f -> "SEQUENTIAL (one thread)"))
                    .orElse("not loaded yet");
            return new Loaded(Vendor.MKL, mapped(mappedFiles, "libmkl_rt").map(Blas::ofArtifact).orElse("libmkl_rt not mapped"), threading);
        }
        if (openblasSymbol && !mklSymbol) {
            return new Loaded(Vendor.OPENBLAS, mapped(mappedFiles, "libopenblas").map(Blas::ofArtifact).orElse("libopenblas not mapped"), "");
        }
        return new Loaded(Vendor.UNKNOWN, mklSymbol ? "both OpenBLAS and MKL are loaded" : "neither OpenBLAS nor MKL is loaded", "");
    }

    private static Optional<String> mapped(List<String> files, String name) {
        return files.stream().filter(f -> f.substring(f.lastIndexOf('/') + 1).startsWith(name)).findFirst();
    }

    /** "libmkl_rt.so.2 of mkl-2025.3-1.5.13-linux-x86_64-redist.jar" from a JavaCPP cache path; the file name alone otherwise. */
    static String ofArtifact(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        for (String part : path.split("/")) {
            if (part.endsWith(".jar")) {
                return file + " of " + part;
            }
        }
        return file;
    }

    private static List<String> mappedFiles() {
        List<String> files = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0) {
                    files.add(line.substring(slash).replace(" (deleted)", ""));
                }
            }
        } catch (IOException e) {
            // not Linux: the vendor is still told by the symbols
        }
        return files;
    }
}
