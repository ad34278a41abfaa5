/* Unit tests of the URL and path functions (fn_url.c). */
#include "fn_harness.h"

static void test_parse_url(void) {
    CHECK_EQ_STR(H("parse_url", V_S("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")),
                 "{\"Scheme\":\"scheme\",\"Host\":\"host\",\"Port\":\"1234\",\"Path\":\"/this/is/a/path\","
                 "\"Username\":\"username\",\"Password\":\"password\",\"Query Parameters\":{\"k1\":\"v1\",\"k2\":\"v2\"},"
                 "\"Fragment\":\"fragment\"}");
    CHECK_EQ_STR(H("parse_url", V_S("https://login.contoso.com/oauth2/token?client_id=abc")),
                 "{\"Scheme\":\"https\",\"Host\":\"login.contoso.com\",\"Port\":\"\",\"Path\":\"/oauth2/token\","
                 "\"Username\":\"\",\"Password\":\"\",\"Query Parameters\":{\"client_id\":\"abc\"},\"Fragment\":\"\"}");
    CHECK_EQ_STR(H("parse_url", V_S("http://a.com")),
                 "{\"Scheme\":\"http\",\"Host\":\"a.com\",\"Port\":\"\",\"Path\":\"\",\"Username\":\"\",\"Password\":\"\","
                 "\"Query Parameters\":{},\"Fragment\":\"\"}");
    CHECK_EQ_STR(H("parse_url", V_S("http://[::1]:8080/x?q=a%20b+c")),
                 "{\"Scheme\":\"http\",\"Host\":\"[::1]\",\"Port\":\"8080\",\"Path\":\"/x\",\"Username\":\"\","
                 "\"Password\":\"\",\"Query Parameters\":{\"q\":\"a b c\"},\"Fragment\":\"\"}");
    CHECK_EQ_STR(H("parse_url", V_S("not a url")),
                 "{\"Scheme\":\"\",\"Host\":\"\",\"Port\":\"\",\"Path\":\"\",\"Username\":\"\",\"Password\":\"\","
                 "\"Query Parameters\":{},\"Fragment\":\"\"}");
    CHECK_EQ_STR(H("parse_urlquery", V_S("k1=v1&k2=v2&k3=v3")),
                 "{\"Query Parameters\":{\"k1\":\"v1\",\"k2\":\"v2\",\"k3\":\"v3\"}}");
    CHECK_EQ_STR(H("parse_urlquery", V_S("?a=1&&b&a=2")), "{\"Query Parameters\":{\"a\":\"2\",\"b\":\"\"}}");
    CHECK_EQ_STR(H("parseurlquery", V_S("")), "{\"Query Parameters\":{}}");
}

static const char *pp(const char *path) { return H("parse_path", V_S(path)); }

static void test_parse_path(void) {
    CHECK_EQ_STR(pp("C:\\temp\\file.txt"),
                 "{\"Scheme\":\"\",\"RootPath\":\"C:\",\"DirectoryPath\":\"C:\\\\temp\",\"DirectoryName\":\"temp\","
                 "\"Filename\":\"file.txt\",\"Extension\":\"txt\",\"AlternateDataStreamName\":\"\"}");
    CHECK_EQ_STR(pp("temp\\file.txt"),
                 "{\"Scheme\":\"\",\"RootPath\":\"\",\"DirectoryPath\":\"temp\",\"DirectoryName\":\"temp\","
                 "\"Filename\":\"file.txt\",\"Extension\":\"txt\",\"AlternateDataStreamName\":\"\"}");
    CHECK_EQ_STR(pp("file://C:/temp/file.txt:some.exe"),
                 "{\"Scheme\":\"file\",\"RootPath\":\"C:\",\"DirectoryPath\":\"C:/temp\",\"DirectoryName\":\"temp\","
                 "\"Filename\":\"file.txt\",\"Extension\":\"txt\",\"AlternateDataStreamName\":\"some.exe\"}");
    CHECK_EQ_STR(pp("\\\\shared\\users\\temp\\file.txt.gz"),
                 "{\"Scheme\":\"\",\"RootPath\":\"\",\"DirectoryPath\":\"\\\\\\\\shared\\\\users\\\\temp\","
                 "\"DirectoryName\":\"temp\",\"Filename\":\"file.txt.gz\",\"Extension\":\"gz\","
                 "\"AlternateDataStreamName\":\"\"}");
    CHECK_EQ_STR(pp("/usr/lib/temp/file.txt"),
                 "{\"Scheme\":\"\",\"RootPath\":\"\",\"DirectoryPath\":\"/usr/lib/temp\",\"DirectoryName\":\"temp\","
                 "\"Filename\":\"file.txt\",\"Extension\":\"txt\",\"AlternateDataStreamName\":\"\"}");
    CHECK_EQ_STR(pp("powershell.exe"),
                 "{\"Scheme\":\"\",\"RootPath\":\"\",\"DirectoryPath\":\"\",\"DirectoryName\":\"\","
                 "\"Filename\":\"powershell.exe\",\"Extension\":\"exe\",\"AlternateDataStreamName\":\"\"}");
}

static void test_encoding(void) {
    CHECK_EQ_STR(H("url_encode", V_S("https://www.bing.com/")), "https%3a%2f%2fwww.bing.com%2f");
    CHECK_EQ_STR(H("url_encode", V_S("a b&c=d")), "a+b%26c%3dd");
    CHECK_EQ_STR(H("url_encode", V_S("\xc3\xa9")), "%c3%a9");
    CHECK_EQ_STR(H("url_encode_component", V_S("a b/c~")), "a%20b%2Fc~");
    CHECK_EQ_STR(H("url_decode", V_S("https%3a%2f%2fwww.bing.com%2f")), "https://www.bing.com/");
    CHECK_EQ_STR(H("url_decode", V_S("a%2Fb%3Dc")), "a/b=c");
    CHECK_EQ_STR(H("url_decode", V_S("a+b%20c")), "a b c");
    CHECK_EQ_STR(H("url_decode", V_S("100%")), "100%");
    CHECK_EQ_STR(H("url_decode", V_S("%zz")), "%zz");
    CHECK_EQ_STR(H("url_decode", V_S("%c3%a9")), "\xc3\xa9");
    CHECK_EQ_STR(H("url_decode", V_S("%ff")), "\xef\xbf\xbd");
}

static void test_user_agent(void) {
    const char *chrome =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.169 "
        "Safari/537.36";
    CHECK_EQ_STR(H("parse_user_agent", V_S(chrome), V_S("browser")),
                 "{\"Browser\":{\"Family\":\"Chrome\",\"MajorVersion\":\"74\",\"MinorVersion\":\"0\",\"Patch\":\"3729\"}}");
    CHECK_EQ_STR(H("parse_user_agent", V_S(chrome), V_S("os")),
                 "{\"OperatingSystem\":{\"Family\":\"Windows\",\"MajorVersion\":\"10\",\"MinorVersion\":\"\","
                 "\"Patch\":\"\",\"PatchMinor\":\"\"}}");
    /* the documentation's examples */
    CHECK_EQ_STR(H("parse_user_agent",
                   V_S("Mozilla/5.0 (Windows; U; en-US) AppleWebKit/531.9 (KHTML, like Gecko) AdobeAIR/2.5.1"),
                   V_S("browser")),
                 "{\"Browser\":{\"Family\":\"AdobeAIR\",\"MajorVersion\":\"2\",\"MinorVersion\":\"5\",\"Patch\":\"1\"}}");
    CHECK_EQ_STR(H("parse_user_agent",
                   V_S("Mozilla/5.0 (SymbianOS/9.2; U; Series60/3.1 NokiaN81-3/10.0.032 Profile/MIDP-2.0 "
                       "Configuration/CLDC-1.1 ) AppleWebKit/413 (KHTML, like Gecko) Safari/4"),
                   V_D("[\"browser\",\"os\",\"device\"]")),
                 "{\"Browser\":{\"Family\":\"Nokia OSS Browser\",\"MajorVersion\":\"3\",\"MinorVersion\":\"1\","
                 "\"Patch\":\"\"},\"OperatingSystem\":{\"Family\":\"Symbian OS\",\"MajorVersion\":\"9\","
                 "\"MinorVersion\":\"2\",\"Patch\":\"\",\"PatchMinor\":\"\"},\"Device\":{\"Family\":\"Nokia N81\","
                 "\"Brand\":\"Nokia\",\"Model\":\"N81-3\"}}");
    CHECK_EQ_STR(H("parse_user_agent", V_S("curl/8.0"), V_S("browser")),
                 "{\"Browser\":{\"Family\":\"curl\",\"MajorVersion\":\"8\",\"MinorVersion\":\"0\",\"Patch\":\"\"}}");
    CHECK_EQ_STR(H("parse_user_agent",
                   V_S("Mozilla/5.0 (iPhone; CPU iPhone OS 14_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                       "Version/14.0.1 Mobile/15E148 Safari/604.1"),
                   V_D("[\"browser\",\"os\",\"device\"]")),
                 "{\"Browser\":{\"Family\":\"Mobile Safari\",\"MajorVersion\":\"14\",\"MinorVersion\":\"0\","
                 "\"Patch\":\"1\"},\"OperatingSystem\":{\"Family\":\"iOS\",\"MajorVersion\":\"14\",\"MinorVersion\":\"2\","
                 "\"Patch\":\"\",\"PatchMinor\":\"\"},\"Device\":{\"Family\":\"iPhone\",\"Brand\":\"Apple\","
                 "\"Model\":\"iPhone\"}}");
    CHECK_EQ_STR(H("parse_user_agent", V_S(""), V_S("device")),
                 "{\"Device\":{\"Family\":\"Other\",\"Brand\":\"\",\"Model\":\"\"}}");
}

static void run(void) {
    h_begin();
    test_parse_url();
    test_parse_path();
    test_encoding();
    test_user_agent();
    h_end();
}

TEST_MAIN(run)
