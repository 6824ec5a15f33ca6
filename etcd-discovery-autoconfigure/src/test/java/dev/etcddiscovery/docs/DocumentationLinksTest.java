package dev.etcddiscovery.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of README.md, BENCHMARKS.md and docs/*.md leads somewhere: the file exists and, for a link to a
 * heading ({@code page.md#anchor}), the page has that heading (GitHub's anchors: lower case, punctuation dropped,
 * spaces as hyphens). Links into code blocks and to other sites are not followed.
 */
class DocumentationLinksTest {

    private static final Path ROOT = Paths.get("..");

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.*)$");

    @Test
    void everyRelativeLinkLeadsToAFileAndHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        List<Path> pages = pages();
        for (Path page : pages) {
            for (String link : links(page)) {
                String target = broken(page, link);
                if (target != null) {
                    broken.add(ROOT.relativize(page) + ": " + link + " (" + target + ")");
                }
            }
        }
        assertThat(pages).as("pages checked").hasSizeGreaterThan(5);
        assertThat(broken).as("broken relative links").isEmpty();
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("BENCHMARKS.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The page's links outside fenced code blocks, but for links to other sites. */
    private static List<String> links(Path page) throws IOException {
        List<String> links = new ArrayList<>();
        boolean code = false;
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            if (line.stripLeading().startsWith("```")) {
                code = !code;
                continue;
            }
            Matcher matcher = LINK.matcher(line.replaceAll("`[^`]*`", ""));
            while (!code && matcher.find()) {
                String link = matcher.group(1);
                if (!link.matches("^[a-z]+:.*")) {
                    links.add(link);
                }
            }
        }
        return links;
    }

    /** What is missing for {@code link} of {@code page}, or null when it leads somewhere. */
    private static String broken(Path page, String link) throws IOException {
        int hash = link.indexOf('#');
        String file = (hash < 0) ? link : link.substring(0, hash);
        Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(target)) {
            return "no file " + target;
        }
        if (hash < 0 || !target.toString().endsWith(".md")) {
            return null;
        }
        String anchor = link.substring(hash + 1);
        return anchors(target).contains(anchor) ? null : "no heading with anchor #" + anchor + " in " + target;
    }

    /** GitHub's anchors of a page's headings; a repeated heading gets -1, -2, ... */
    static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean code = false;
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                code = !code;
            }
            Matcher heading = HEADING.matcher(line);
            if (!code && heading.matches()) {
                String anchor = heading.group(1)
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
                int count = seen.merge(anchor, 1, Integer::sum);
                anchors.add((count == 1) ? anchor : anchor + "-" + (count - 1));
            }
        }
        return anchors;
    }
}
