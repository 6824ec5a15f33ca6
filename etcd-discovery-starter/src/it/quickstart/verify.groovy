// The app's test ran and passed (a skipped or missing test must not count as a pass).
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.greeter.GreeterApplicationTests.xml')
assert report.isFile() : "no test report: ${report}"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.text() == '1' && suite.@failures.text() == '0'
assert suite.@errors.text() == '0' && suite.@skipped.text() == '0'

// This pom is README's quickstart: each XML block of that section is in it as it is (whitespace and comments aside).
def normalize = { String xml -> xml.replaceAll(/(?s)<!--.*?-->/, '').replaceAll(/>\s+</, '><').trim() }
def readmeText = new File(readme).text
def start = readmeText.indexOf('## Quickstart in your own app')
assert start >= 0 : 'README has no "Quickstart in your own app" section'
def end = readmeText.indexOf('\n## ', start + 1)
def quickstart = readmeText.substring(start, end < 0 ? readmeText.length() : end)
def blocks = (quickstart =~ /(?s)```xml\n(.*?)```/).collect { it[1] }
assert blocks.size() >= 3 : "expected README's quickstart to have the BOM, dependency and code generation blocks"
def pom = normalize(new File(basedir, 'pom.xml').text)
blocks.each { block ->
    assert pom.contains(normalize(block)) : "README's quickstart block is not in the app's pom.xml:\n${block}"
}
true
