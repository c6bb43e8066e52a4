package org.metagan.data.hanzi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.metagan.core.AtomicFiles;
import org.metagan.data.FileDigest;
import org.metagan.data.NpmPackage;

/**
 * The characters of the npm package {@code hanzi-writer-data} 2.0.1 (derived from the Make Me a Hanzi project
 * from fonts of Arphic Technology; Arphic Public License), converted into one compact file of our own.
 *
 * <p>The tarball holds {@code package/<character>.json} for 9,574 characters, each
 * {@code {"strokes": [...outlines...], "medians": [[[x, y], ...], ...], "radStrokes": [...]}}. Only the medians
 * are kept, rounded to whole units (32 of the 629,258 points have fractions), in {@value #FILE_NAME}: gzip UTF-8 text, header lines starting with {@code #} (package,
 * SHA-256 of the tarball, the licence and the notice of modification the licence asks for), then one line per
 * character in code-point order: {@code <character> TAB x,y x,y ...|x,y ...} (strokes separated by {@code |}).
 * The licence file {@value #LICENCE_FILE} is copied unaltered beside it. Nothing of this is in the repository:
 * it is made at run time in the user's cache.
 */
public final class HanziArchive {
    /** The npm package fetched ({@code npm pack}). */
    public static final String PACKAGE = "hanzi-writer-data@2.0.1";
    /** Characters in {@link #PACKAGE}. */
    public static final int CHARACTER_COUNT = 9_574;
    /** The converted file. */
    public static final String FILE_NAME = "hanzi-medians.txt.gz";
    /** The package's licence file, copied unaltered. */
    public static final String LICENCE_FILE = "ARPHICPL.TXT";
    /** The licence, for provenance and messages. */
    public static final String LICENCE = "Arphic Public License (" + LICENCE_FILE + "), data of hanzi-writer-data"
            + " derived from Make Me a Hanzi and fonts of Arphic Technology";
    private static final String FORMAT = "# metagan hanzi medians, format 1";
    private static final Pattern CHARACTER_ENTRY = Pattern.compile("package/([^/]+)\\.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The converted characters with where they came from.
     *
     * @param characters    in code-point order
     * @param packageSpec   "hanzi-writer-data@2.0.1"
     * @param tarballSha256 SHA-256 of the package tarball the file was made from
     * @param file          the converted file
     */
    public record Contents(List<HanziCharacter> characters, String packageSpec, String tarballSha256, Path file) {
        public Contents {
            characters = List.copyOf(characters);
        }
    }

    private HanziArchive() {}

    /** Converts the package tarball into {@value #FILE_NAME} and {@value #LICENCE_FILE} in {@code targetDir}. */
    public static Contents convert(Path tarball, Path targetDir) throws IOException {
        Map<Integer, HanziCharacter> byCodePoint = new LinkedHashMap<>();
        byte[][] licence = new byte[1][];
        NpmPackage.forEachEntry(tarball, (name, body) -> {
            Matcher m = CHARACTER_ENTRY.matcher(name);
            if (name.equals("package/" + LICENCE_FILE)) {
                licence[0] = body;
            } else if (m.matches() && m.group(1).codePointCount(0, m.group(1).length()) == 1) {
                int cp = m.group(1).codePointAt(0);
                byCodePoint.put(cp, new HanziCharacter(cp, medians(body, name)));
            }
        });
        if (licence[0] == null || byCodePoint.size() != CHARACTER_COUNT) {
            throw new IOException("expected " + CHARACTER_COUNT + " files package/<character>.json and package/" + LICENCE_FILE
                    + " in " + tarball + " but found " + byCodePoint.size() + " characters and " + (licence[0] == null ? "no" : "a")
                    + " licence file");
        }
        List<HanziCharacter> characters = new ArrayList<>(byCodePoint.values());
        characters.sort(Comparator.comparingInt(HanziCharacter::codePoint));
        String sha = FileDigest.of(tarball).sha256();
        Files.createDirectories(targetDir);
        AtomicFiles.write(targetDir.resolve(LICENCE_FILE), out -> out.write(licence[0]));
        Path file = targetDir.resolve(FILE_NAME);
        AtomicFiles.write(file, out -> {
            GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16);
            Writer w = new OutputStreamWriter(gzip, StandardCharsets.UTF_8);
            w.write(FORMAT + "\n");
            w.write("# package: " + PACKAGE + "\n");
            w.write("# tarball-sha256: " + sha + "\n");
            w.write("# licence: " + LICENCE + "; the licence text is " + LICENCE_FILE + " beside this file, unaltered\n");
            w.write("# modified: converted by metagan on " + LocalDate.now(ZoneOffset.UTC) + " from package/<character>.json:"
                    + " only the stroke medians kept, coordinates rounded to whole units (32 of 629,258 points had fractions; 1024 frame, y up, row = 900 - y)\n");
            for (HanziCharacter c : characters) {
                w.write(line(c));
                w.write('\n');
            }
            w.flush();
            gzip.finish();
        });
        return new Contents(characters, PACKAGE, sha, file);
    }

    /** Reads a file written by {@link #convert}. */
    public static Contents read(Path file) throws IOException {
        List<HanziCharacter> characters = new ArrayList<>();
        String packageSpec = null;
        String sha = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file), 1 << 16),
                StandardCharsets.UTF_8))) {
            String first = r.readLine();
            if (!FORMAT.equals(first)) {
                throw new IOException("expected the first line '" + FORMAT + "' in " + file + " but found '" + first + "'");
            }
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("# package: ")) {
                    packageSpec = line.substring("# package: ".length());
                } else if (line.startsWith("# tarball-sha256: ")) {
                    sha = line.substring("# tarball-sha256: ".length());
                } else if (!line.startsWith("#") && !line.isBlank()) {
                    characters.add(parse(line, file));
                }
            }
        }
        if (packageSpec == null || sha == null || characters.isEmpty()) {
            throw new IOException("expected '# package:' and '# tarball-sha256:' lines and characters in " + file
                    + " but found " + characters.size() + " characters" + (sha == null ? " and no tarball SHA-256" : ""));
        }
        return new Contents(characters, packageSpec, sha, file);
    }

    private static String line(HanziCharacter c) {
        StringBuilder b = new StringBuilder(c.character()).append('\t');
        for (int s = 0; s < c.medians().length; s++) {
            int[] stroke = c.medians()[s];
            if (s > 0) {
                b.append('|');
            }
            for (int i = 0; i < stroke.length; i += 2) {
                b.append(i == 0 ? "" : " ").append(stroke[i]).append(',').append(stroke[i + 1]);
            }
        }
        return b.toString();
    }

    private static HanziCharacter parse(String line, Path file) throws IOException {
        int tab = line.indexOf('\t');
        if (tab <= 0) {
            throw new IOException("expected '<character> TAB strokes' but found '" + line + "' in " + file);
        }
        String[] strokes = line.substring(tab + 1).split("\\|");
        int[][] medians = new int[strokes.length][];
        try {
            for (int s = 0; s < strokes.length; s++) {
                String[] points = strokes[s].split(" ");
                medians[s] = new int[points.length * 2];
                for (int i = 0; i < points.length; i++) {
                    int comma = points[i].indexOf(',');
                    medians[s][2 * i] = Integer.parseInt(points[i].substring(0, comma));
                    medians[s][2 * i + 1] = Integer.parseInt(points[i].substring(comma + 1));
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("expected points 'x,y x,y|...' but found '" + line + "' in " + file, e);
        }
        return new HanziCharacter(line.codePointAt(0), medians);
    }

    /** The "medians" of one character file: strokes of [x, y] points. */
    private static int[][] medians(byte[] json, String name) throws IOException {
        JsonNode medians = JSON.readTree(json).get("medians");
        if (medians == null || !medians.isArray() || medians.isEmpty()) {
            throw new IOException("expected a non-empty \"medians\" array in " + name);
        }
        int[][] strokes = new int[medians.size()][];
        for (int s = 0; s < strokes.length; s++) {
            JsonNode stroke = medians.get(s);
            strokes[s] = new int[stroke.size() * 2];
            for (int i = 0; i < stroke.size(); i++) {
                JsonNode point = stroke.get(i);
                if (point.size() != 2 || !point.get(0).isNumber() || !point.get(1).isNumber()) {
                    throw new IOException("expected [x, y] points in the medians of " + name + " but found " + point);
                }
                strokes[s][2 * i] = (int) Math.round(point.get(0).asDouble());
                strokes[s][2 * i + 1] = (int) Math.round(point.get(1).asDouble());
            }
        }
        return strokes;
    }
}
