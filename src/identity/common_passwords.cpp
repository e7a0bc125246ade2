// GENERATED from src/identity/common_passwords.txt; edit the .txt, then regenerate the array
// below from the repository root with
//
//   LC_ALL=C sort -u src/identity/common_passwords.txt | awk '
//       { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); s = "\"" $0 "\",";
//         if (line != "" && length(line) + length(s) + 1 > 96) { print "    " line; line = s }
//         else { line = (line == "" ? s : line " " s) } }
//       END { print "    " line }'
//
// and paste its output between the braces. tests/unit/identity/password_test.cpp checks that
// the array equals the .txt, and the static_asserts below that it is sorted and unique.
//
// Sources of the .txt (public lists of the most common passwords, lowercased, de-duplicated):
// the "10-million-password-list-top-1000" list (Mark Burnett's 10 million passwords, as
// published in SecLists), less one racial slur, plus every entry of 10 or more characters
// among ranks 1001-10000 of the same list. Entries shorter than 10 characters are kept even
// though the length rule already refuses them, so the list stays correct if that rule changes.

#include "identity/common_passwords.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace gw::identity {

namespace {

constexpr std::string_view kCommonPasswords[] = {
    "0000", "00000", "000000", "00000000", "0000000000", "007007", "01011980", "01012011", "010203",
    "0123456789", "0192837465", "098765", "0987654321", "101010", "102030", "1029384756", "1111",
    "11111", "111111", "1111111", "11111111", "1111111111", "111222", "112233", "11223344",
    "1122334455", "1123581321", "1212", "121212", "12121212", "1212121212", "12312", "123123",
    "123123123", "123123a", "1232323q", "123321", "1234", "12341234", "12344321", "12345",
    "1234509876", "1234512345", "1234554321", "123456", "123456654321", "1234567", "12345678",
    "123456789", "1234567890", "1234567890-", "1234567890a", "1234567890q", "1234567891",
    "12345678910", "1234567899", "123456789a", "123456789d", "123456789m", "123456789q",
    "123456789qwe", "123456789s", "123456789z", "123456a", "123456q", "123456qwerty", "12345a",
    "12345q", "12345qwert", "12345qwerty", "1234qwer", "123654", "123654789", "123789", "123abc",
    "123qwe", "123qweasdzxc", "12qwaszx", "1313", "131313", "134679", "1357924680", "141414",
    "147147", "147258", "147258369", "147852", "147852369", "151515", "159357", "159753", "159951",
    "1966", "1969", "1974", "1975", "1977", "1978", "1979", "1980", "1981", "1982", "1984", "1985",
    "1986", "1987", "1988", "1989", "1990", "1991", "1992", "1993", "1994", "1q2w3e", "1q2w3e4r",
    "1q2w3e4r5t", "1q2w3e4r5t6y", "1qaz2wsx", "1qaz2wsx3edc", "1qazxsw2", "1qazxsw23edc", "2000",
    "202020", "2112", "212121", "2222", "222222", "2222222222", "232323", "242424", "252525",
    "315475", "3333", "333333", "420420", "4321", "4444", "444444", "456789", "4815162342", "5150",
    "54321", "5555", "55555", "555555", "55555555", "5555555555", "654321", "6666", "666666",
    "6969", "696969", "69696969", "741852963", "7654321", "7777", "777777", "7777777", "77777777",
    "7777777777", "789456", "789456123", "7894561230", "7ugd5hip2j", "852456", "8675309",
    "87654321", "8888", "888888", "88888888", "9293709b13", "9379992", "987654", "98765432",
    "987654321", "9876543210", "9999", "999999", "9999999999", "a12345", "a123456", "a123456789",
    "a1b2c3", "aaaa", "aaaaaa", "aaaaaaaa", "aaaaaaaaaa", "abc123", "abcd1234", "abcdef", "abcdefg",
    "abrakadabra", "absolutely", "access", "accord", "action", "adidas", "adrian", "airborne",
    "alaska", "albert", "aleksandra", "alessandro", "alex", "alexande", "alexander", "alexandr",
    "alexis", "alicia", "alison", "allison", "alpha", "alyssa", "amanda", "america", "american",
    "anderson", "andre", "andrea", "andrew", "andrey", "angel", "angela", "angels", "animal",
    "anthony", "antonio", "apollo", "apple", "apples", "arizona", "arnold", "arsenal", "arthur",
    "asd123", "asdasd", "asdf", "asdf1234", "asdfasdf", "asdfg", "asdfgh", "asdfghjk", "asdfghjkl",
    "ashley", "asshole", "assman", "august", "austin", "avalon", "avatar", "awesome", "azerty",
    "azertyuiop", "baby", "babygirl", "badass", "badboy", "badger", "bailey", "bambam", "banana",
    "bandit", "barbara", "barney", "baseball", "basketball", "bastard", "batman", "baxter", "bear",
    "beatles", "beaver", "beavis", "beer", "benjamin", "bigboy", "bigcock", "bigdaddy", "bigdick",
    "bigdog", "bigred", "bigtits", "bill", "billy", "birdie", "bishop", "bitch", "bitches",
    "biteme", "black", "blazer", "blink182", "blowjob", "blowme", "blue", "bobby", "bollocks",
    "bond007", "bonnie", "boobies", "booboo", "boobs", "booger", "boogie", "boomer", "boston",
    "bradley", "brandon", "brandy", "braves", "brazil", "brenda", "brian", "brittany", "bronco",
    "broncos", "brooke", "brooklyn", "brutus", "bubba", "bubbles", "buddha", "buddy", "budlight",
    "buffalo", "bulldog", "bulldogs", "bullet", "bullshit", "burton", "buster", "butter",
    "butthead", "california", "calvin", "camaro", "cameron", "canada", "captain", "cardinal",
    "carlos", "carmen", "carolina", "caroline", "carter", "cartman", "casper", "cassie", "celtic",
    "champion", "chance", "changeme", "charles", "charlie", "cheerleaers", "cheese", "chelsea",
    "cherokee", "cherry", "chester", "chevelle", "chevy", "chicago", "chicken", "chopper", "chris",
    "christ", "christin", "christopher", "claire", "classic", "claudia", "cocacola", "cock",
    "cocksucker", "coffee", "college", "colorado", "compaq", "computer", "connor", "cookie", "cool",
    "cooper", "copper", "corvette", "cougar", "courtney", "cowboy", "cowboys", "crazy", "creative",
    "cricket", "crystal", "cumshot", "cunt", "daddy", "dakota", "dallas", "dancer", "danger",
    "daniel", "danielle", "darkness", "darkside", "dave", "david", "death", "debbie", "december",
    "deepthroat", "denise", "dennis", "denver", "destiny", "dexter", "diablo", "diamond", "dick",
    "dickhead", "diesel", "digger", "digital", "disney", "doctor", "doggie", "dolphin", "dolphins",
    "domino", "donald", "donkey", "douglas", "dragon", "dragonballz", "dreamer", "dreams", "driver",
    "drowssap", "drummer", "ducati", "duncan", "eagle", "eagle1", "eagles", "eclipse", "edward",
    "einstein", "electric", "elephant", "elizabet", "elvis", "eminem", "empire", "england",
    "enigma", "enter", "enterprise", "eric", "eugene", "evangelion", "everton", "experienced",
    "explorer", "extreme", "falcon", "family", "fantasy", "fender", "ferrari", "fire", "fireman",
    "fish", "fishing", "fktrcfylh", "fktrcfylhf", "florida", "flower", "fluffy", "flyers",
    "football", "ford", "forest", "forever", "francis", "frank", "frankie", "franklin", "fred",
    "freddy", "free", "freedom", "freepass", "freeuser", "friday", "friend", "friends",
    "friendster", "froggy", "fuck", "fuck_inside", "fucker", "fucking", "fuckme", "fuckoff",
    "fuckyou", "fylhtq", "gabriel", "galina", "galore", "gandalf", "garfield", "gateway", "gators",
    "gemini", "general", "genesis", "genius", "george", "georgia", "gfhjkm", "gfhjkmgfhjkm",
    "ghbdtn", "ghhh47hj7649", "ghjcnbnenrf", "ghjcnjgfhjkm", "ghostrider", "giants", "gibson",
    "ginger", "girls", "goblue", "godzilla", "golden", "golf", "golfer", "goober", "good123654",
    "google", "gordon", "green", "gregory", "guinness", "guitar", "gunner", "hahaha", "hammer",
    "hannah", "happy", "happy1", "hard", "hardcore", "harley", "harrypotter", "hawaii", "heather",
    "heaven", "hello", "hello1", "hello123", "hellokitty", "helpme", "hendrix", "hentai",
    "highlander", "hiphop", "hitman", "hobbes", "hockey", "homer", "honda", "hooters", "horney",
    "horny", "horses", "hotdog", "hotrod", "house", "houston", "howard", "htubcnhfwbz", "hummer",
    "hunter", "iceman", "iloveyou", "indian", "infinity", "intercourse", "internet", "ireland",
    "ironmaiden", "ironman", "iwantu", "jack", "jackass", "jackie", "jackson", "jaguar", "jake",
    "james", "jasmine", "jason", "jasper", "jeffrey", "jennifer", "jeremy", "jessica", "jessie",
    "jester", "jesus", "jimmy", "john", "johnny", "johnson", "jonathan", "jordan", "jordan23",
    "joseph", "joshua", "junior", "jupiter", "justice", "justin", "juventus", "karina", "kawasaki",
    "kelly", "kermit", "kevin", "killer", "kimberly", "king", "kirill", "kitten", "kitty",
    "klaster", "knight", "konstantin", "kristina", "lacrosse", "lakers", "lalala", "lasvegas",
    "lauren", "leavemealone", "legend", "leslie", "letmein", "liberty", "lifehack", "little",
    "liverpoo", "liverpool", "liverpool1", "lizard", "logitech", "lol123", "london", "louise",
    "love", "lovelove", "lovely", "loveme", "lover", "loverboy", "lovers", "loveyou", "lucky",
    "lucky1", "maddog", "madison", "madmax", "madonna", "maggie", "magic", "magnum",
    "mailcreated5240", "manchester", "manutd", "marcus", "marina", "marine", "marines", "mark",
    "marlboro", "marley", "marshall", "martin", "marvin", "maryjane", "master", "masterbate",
    "masterbating", "matrix", "matt", "matthew", "maverick", "maximus", "maxwell", "melanie",
    "melissa", "member", "mercedes", "mercury", "merlin", "metallic", "metallica", "mexico",
    "michael", "michael1", "michelle", "michigan", "mickey", "microphone", "midnight", "mike",
    "miller", "mine", "minecraft", "mississippi", "mitchell", "mmmmmm", "mnbvcxz", "molly",
    "monday", "money", "money1", "monica", "monkey", "monster", "montana", "montgom240", "mookie",
    "morgan", "mother", "motherfucker", "motherlode", "motorola", "mountain", "mozart", "muffin",
    "multiplelo", "murphy", "music", "mustang", "mypassword", "naruto", "nascar", "natalie",
    "natasha", "nathan", "naughty", "ncc1701", "ncc1701d", "nelson", "nemesis", "newport",
    "newyork", "nicholas", "nicole", "nikita", "nintendo", "nirvana", "nissan", "norman", "nothing",
    "november", "nthvbyfnjh", "nuttertools", "october", "oksana", "oliver", "olivia", "online",
    "orange", "ou812", "packers", "pakistan", "pamela", "pantera", "panther", "panthers", "panties",
    "paradise", "parker", "pass", "passion", "passport", "passw0rd", "password", "password1",
    "password123", "password99", "patches", "patricia", "patrick", "patriots", "paul", "peaches",
    "peanut", "pearljam", "peekaboo", "penetration", "penguin", "penis", "people", "pepper",
    "peter", "phantom", "phoenix", "phpbb", "picard", "pimpin", "pirate", "platinum", "playboy",
    "player", "playstation", "please", "poiuytrewq", "pokemon", "police", "polina",
    "polniypizdec0211", "poohbear", "pookie", "poop", "poopoo", "popcorn", "porn", "porno",
    "porsche", "power", "predator", "prince", "princess", "private", "psycho", "pumpkin", "purple",
    "pussy", "q123456789", "q1w2e3", "q1w2e3r4", "q1w2e3r4t5", "q1w2e3r4t5y6", "qazwsx",
    "qazwsxedc", "qazwsxedc123", "qazwsxedcrfv", "qazxsw", "qqq111", "qqqqqq", "qwaszx", "qwe123",
    "qweasd", "qweasdzxc", "qweqwe", "qwer1234", "qwerasdfzxcv", "qwert", "qwert12345", "qwerty",
    "qwerty1", "qwerty12", "qwerty123", "qwerty1234", "qwerty12345", "qwerty123456", "qwertyqwerty",
    "qwertyu", "qwertyui", "qwertyuiop", "rabbit", "rachel", "racing", "raider", "raiders",
    "rainbow", "ranger", "rangers", "raptor", "rascal", "rasdzv3", "razz", "realmadrid", "rebecca",
    "red123", "reddog", "redrum", "redskins", "redsox", "redwings", "reggie", "revolution",
    "richard", "rjirfrgbde", "rjycnfynby", "robert", "rock", "rocket", "rocky", "roland",
    "rolltide", "rooster", "rosebud", "runner", "rush2112", "ruslan", "russell", "russia",
    "sabrina", "saints", "salamander", "samantha", "sammy", "samson", "samsung", "samuel",
    "sandman", "sandra", "sarah", "saturn", "scarface", "school", "scooby", "scooter", "scorpio",
    "scorpion", "scotland", "scott", "scotty", "secret", "secret123", "security", "semperfi",
    "serega", "sergey", "sersolution", "sexsex", "sexy", "shadow", "shannon", "sharon", "shelby",
    "shit", "shithead", "shorty", "sierra", "silver", "simon", "simple", "simpson", "simpsons",
    "skateboard", "skipper", "skippy", "skyline", "slayer", "slipknot", "slut", "smith", "smokey",
    "smooth", "snickers", "sniper", "snoopy", "snowball", "soccer", "softball", "sojdlg123aljg",
    "sonyericsson", "sophie", "soso123aljg", "spanky", "sparky", "speedy", "spencer", "spider",
    "spiderma", "spiderman", "spirit", "spitfire", "spooky", "spring", "stalker", "stanley", "star",
    "stargate", "startrek", "starwars", "steelers", "stella", "stephen", "steve", "steven",
    "stinky", "strawberry", "stupid", "sublime", "success", "sucker", "suckit", "suckme", "summer",
    "sunshine", "super", "superman", "surfer", "suzuki", "svetlana", "sweet", "swordfis", "sydney",
    "system", "taylor", "tennis", "teresa", "terminator", "test", "test123", "tester", "testing",
    "theman", "therock", "thomas", "thumper", "thunder", "thx1138", "tiffany", "tiger", "tigers",
    "tigger", "timothy", "tinker", "tinkerbell", "titanic", "tits", "tokiohotel", "tomcat", "tommy",
    "topgun", "toyota", "translator", "travis", "trinity", "trouble", "trustno1", "tucker",
    "turkey", "turtle", "tweety", "underground", "undertaker", "united", "university",
    "usuckballz1", "valentin", "vampire", "vanessa", "vegeta", "veronica", "vfhbyf", "vfntvfnbrf",
    "vfrcbv", "victor", "victoria", "victory", "viking", "vikings", "vincent", "viper", "virginia",
    "vision", "vladimir", "voodoo", "voyager", "vqsablpzla", "vsjasnel12", "walker", "walter",
    "wanker", "warcraft", "warrior", "washington", "water", "welcome", "westside", "whatever",
    "wildcat", "wildcats", "william", "williams", "willie", "willow", "wilson", "windows", "winner",
    "winston", "winter", "wizard", "wolf", "wolfpack", "wolverin", "wombat", "xavier", "xxxx",
    "xxxxxx", "xxxxxxxx", "yamaha", "yankee", "yankees", "yellow", "yfnfif", "yjdsqgfhjkm",
    "zachary", "zaq12wsx", "zombie", "zxc123", "zxcasdqwe123", "zxcvbn", "zxcvbnm", "zxcvbnm123",
    "zzzzzz",
};

static_assert(std::is_sorted(std::begin(kCommonPasswords), std::end(kCommonPasswords)),
              "binary search needs the list sorted bytewise (LC_ALL=C sort)");
static_assert(std::adjacent_find(std::begin(kCommonPasswords), std::end(kCommonPasswords)) ==
                  std::end(kCommonPasswords),
              "the list has no duplicates (sort -u)");

}  // namespace

bool is_common_password(std::string_view lowercase_password) {
    return std::binary_search(
        std::begin(kCommonPasswords), std::end(kCommonPasswords), lowercase_password);
}

std::span<const std::string_view> common_passwords() { return kCommonPasswords; }

}  // namespace gw::identity
