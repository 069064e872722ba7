# ruff: noqa: RUF001 (Chinese text uses full-width punctuation, English text en dashes)
"""The demo community as plain data: products, people, posts and the words of their replies.

Everything here is hand-written. The loader (management/commands/load_demo.py) decides who
posts what and when, how many votes each post gets, and which replies go under it. In post
and comment text, "{build}" becomes the post's build version and "{device}" a fan's phone.
"""

from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

PASSWORD = "orange-demo"

IDEA, BUG, TALK = "idea", "bug", "discussion"


@dataclass(frozen=True)
class Said:
    """One comment in a hand-written thread; `reply_to` is the index of an earlier one."""

    author: str
    text: str
    reply_to: int | None = None


@dataclass(frozen=True)
class Draft:
    kind: str
    category: str | None
    title: str
    body: str = ""
    tags: tuple[str, ...] = ()
    # Left empty, the loader picks these.
    author: str | None = None
    votes: int | None = None
    status: str | None = None
    age_days: float | None = None
    # For a shipped post: in which build, counted back from the latest (0 = the latest).
    shipped_builds_ago: int | None = None
    thread: tuple[Said, ...] = ()


def idea(category: str | None, title: str, body: str = "", **extra: Any) -> Draft:
    return Draft(IDEA, category, title, body, **extra)


def bug(category: str | None, title: str, body: str = "", **extra: Any) -> Draft:
    return Draft(BUG, category, title, body, **extra)


def talk(category: str | None, title: str, body: str = "", **extra: Any) -> Draft:
    return Draft(TALK, category, title, body, **extra)


# --------------------------------------------------------------------------------------------
# Products and people
# --------------------------------------------------------------------------------------------


class ProductSpec(TypedDict):
    slug: str
    name: str
    tagline: str
    # The product's own texts in Chinese, for Chinese pages (board.models.own_text).
    name_zh: str
    tagline_zh: str
    engineers: list[str]
    categories: list[tuple[str, str, str]]  # slug, name, Chinese name


PRODUCTS: list[ProductSpec] = [
    {
        "slug": "miui",
        "name": "MIUI",
        "tagline": "The phone's whole system: launcher, notifications, battery, settings.",
        "name_zh": "MIUI",
        "tagline_zh": "手机的整个系统：桌面、通知、电池、设置。",
        "engineers": ["maya", "lei", "jun", "sara", "kai"],
        "categories": [
            ("launcher", "Launcher", "桌面"),
            ("notifications", "Notifications", "通知"),
            ("battery", "Battery", "电池"),
            ("settings", "Settings", "设置"),
            ("lock-screen", "Lock screen", "锁屏"),
        ],
    },
    {
        "slug": "sound-recorder",
        "name": "Sound Recorder",
        "tagline": "Record interviews, lectures and ideas; play, transcribe and sync them.",
        "name_zh": "录音机",
        "tagline_zh": "录下采访、讲座和灵感；播放、转写并同步它们。",
        "engineers": ["maya", "wen", "tariq", "ana"],
        "categories": [
            ("recording", "Recording", "录音"),
            ("playback", "Playback", "播放"),
            ("cloud-sync", "Cloud sync", "云同步"),
            ("transcription", "Transcription", "转写"),
        ],
    },
    {
        "slug": "camera",
        "name": "Camera",
        "tagline": "Camera and Gallery: photos, videos and everything you do with them.",
        "name_zh": "相机",
        "tagline_zh": "相机与相册：照片、视频，以及你用它们做的一切。",
        "engineers": ["maya", "lei", "ying", "diego", "rohan"],
        "categories": [
            ("photo", "Photo", "拍照"),
            ("video", "Video", "视频"),
            ("gallery", "Gallery", "相册"),
        ],
    },
]

# username, first name, last name, role, bio
STAFF = [
    ("maya", "Maya", "Lin", "engineer", "Engineer on MIUI, Sound Recorder and Camera."),
    ("lei", "Lei", "Zhou", "engineer", "Engineer on MIUI and Camera. 相机和系统工程师。"),
    ("jun", "Jun", "Wang", "engineer", "MIUI home screen and lock screen. 桌面和锁屏。"),
    ("sara", "Sara", "Lindqvist", "engineer", "MIUI notifications and battery life."),
    ("kai", "Kai", "Huang", "engineer", "MIUI settings and system apps. 系统设置。"),
    ("wen", "Wen", "Li", "engineer", "Sound Recorder: recording and playback. 录音机工程师。"),
    ("tariq", "Tariq", "Aziz", "engineer", "Sound Recorder: cloud sync."),
    ("ana", "Ana", "Costa", "engineer", "Sound Recorder: transcription and speech models."),
    ("ying", "Ying", "Xu", "engineer", "Camera: the photo pipeline and night mode. 影像工程师。"),
    ("diego", "Diego", "Ramos", "engineer", "Camera: video recording and stabilisation."),
    ("rohan", "Rohan", "Iyer", "engineer", "Gallery: albums, search and the editor."),
    ("mo", "Mo", "Okafor", "moderator", "Moderator. Be kind, search before you post."),
    ("admin", "Admin", "", "admin", "Runs this Orange Friday."),
]


class TeamSpec(TypedDict):
    name: str
    members: list[str]
    # What the team builds: it claims the top posts of these categories first.
    categories: list[str]
    # Posts it takes on in a week (the planning default, 3, if left out).
    capacity: NotRequired[int]


# Two teams per product, of two or three of its engineers.
TEAMS: dict[str, list[TeamSpec]] = {
    "miui": [
        {
            "name": "Home & Lock Screen",
            "members": ["lei", "jun", "kai"],
            "categories": ["launcher", "lock-screen", "settings"],
        },
        {
            "name": "Power & Alerts",
            "members": ["maya", "sara"],
            "categories": ["battery", "notifications"],
        },
    ],
    "sound-recorder": [
        # The journalists' long-running requests sit with this team: it takes on more.
        {
            "name": "Capture",
            "members": ["maya", "wen"],
            "categories": ["recording", "playback"],
            "capacity": 4,
        },
        {
            "name": "Cloud & Text",
            "members": ["tariq", "ana"],
            "categories": ["cloud-sync", "transcription"],
        },
    ],
    "camera": [
        {"name": "Photo", "members": ["lei", "ying"], "categories": ["photo"]},
        {
            "name": "Video & Gallery",
            "members": ["maya", "diego", "rohan"],
            "categories": ["video", "gallery"],
        },
    ],
}

# username, first name, last name, language ("en", "zh" or "both"), bio
# A fan who joined just now and has not confirmed the address (not one of FANS: writes
# nothing in the demo).
NEWCOMER = "newcomer"

FANS = [
    ("hannah_reports", "Hannah", "Weiss", "en", "Radio reporter. I record people for a living."),
    ("priya_newsdesk", "Priya", "Raman", "en", "Journalist at a city newsdesk. Mobile-first."),
    ("li_jizhe", "Li", "Na", "zh", "记者，经常用手机录采访。"),
    ("xiaoyu_tech", "Xiaoyu", "", "zh", "开发版老用户，每周五必刷。"),
    ("raj_mifan", "Raj", "Mehta", "en", "Mi fan since the Redmi Note 4."),
    ("tom_kowalski", "Tom", "Kowalski", "en", "Android tinkerer, daily-driving developer builds."),
    ("chen_hao", "Hao", "Chen", "zh", "喜欢折腾，也喜欢提建议。"),
    ("annika.lund", "Annika", "Lund", "en", "UX designer. Notices every misaligned pixel."),
    ("wang_fang88", "Fang", "Wang", "zh", "小米粉丝，摄影爱好者。"),
    ("markus.audio", "Markus", "Brandt", "en", "Podcaster. Sound Recorder is my field recorder."),
    ("leo_martins", "Leo", "Martins", "en", "Student in Lisbon."),
    ("ivy_zhang", "Ivy", "Zhang", "both", "Bilingual tester, Shenzhen / Singapore."),
    ("dream_sponsor_87", "Zhiwei", "Ma", "both", "One of the first 100. Still here."),
    ("sofia.reyes", "Sofia", "Reyes", "en", "Teacher. I record my lectures for absent students."),
    ("liu_yang", "Yang", "Liu", "zh", "程序员，业余拍照。"),
    ("daniel_ng", "Daniel", "Ng", "en", "Battery life obsessive."),
    ("zhang_wei_mi", "Wei", "Zhang", "zh", "米粉，2012年入坑。"),
    ("emma_brooks", "Emma", "Brooks", "en", "Mum of two, photographer of both."),
    ("kevin_liu", "Kevin", "Liu", "both", "Redmi everything."),
    ("ahmed.k", "Ahmed", "Khalil", "en", "Night photography and long exposures."),
    ("huang_xin", "Xin", "Huang", "zh", "大学生，喜欢主题和桌面美化。"),
    ("jonas_weber", "Jonas", "Weber", "en", "Cyclist. Phone lives on my handlebar."),
    ("olivia_park", "Olivia", "Park", "en", "I write accessibility reports for fun."),
    ("zhou_jie", "Jie", "Zhou", "zh", "通勤路上用手机看视频、听录音。"),
    (
        "mateo_garcia",
        "Mateo",
        "García",
        "en",
        "Videographer, shoots weddings on a Xiaomi 14 Ultra.",
    ),
    ("wu_lei_photo", "Lei", "Wu", "zh", "街拍。"),
    ("kenji_t", "Kenji", "Tanaka", "en", "Commuter, reader, occasional bug hunter."),
    ("sun_mei", "Mei", "Sun", "zh", "护士，夜班多，很在意通知和闹钟。"),
    ("nina.petrova", "Nina", "Petrova", "en", "Translator. Uses transcription daily."),
    ("sam_taylor", "Sam", "Taylor", "en", "Just here to vote."),
    ("zhao_lin", "Lin", "Zhao", "zh", "喜欢研究省电设置。"),
    ("grace_okoro", "Grace", "Okoro", "en", "Small business owner, phone is my office."),
    ("amy_chen", "Amy", "Chen", "both", "Product manager by day, beta tester by night."),
    ("lucas.bernard", "Lucas", "Bernard", "en", "Photographer, mostly street and concerts."),
    ("mi_fensi_2010", "Jun", "Xu", "zh", "从MIUI第一版用到现在。"),
    ("isabel_photo", "Isabel", "Costa", "en", "Macro and flowers."),
    ("lin_xiaoxiao", "Xiaoxiao", "Lin", "zh", "设计专业，在意细节。"),
    ("pixel_hopper", "Arjun", "Nair", "en", "Switched from another brand last year."),
    ("gao_peng", "Peng", "Gao", "zh", "出租车司机，手机一直在导航。"),
    ("jason_wu", "Jason", "Wu", "both", "Hong Kong. Cantonese and English."),
    ("yang_shu", "Shu", "Yang", "zh", "研究生，用录音机录组会。"),
    ("he_qing", "Qing", "He", "zh", "喜欢拍月亮。"),
]

DEVICES = [
    "Xiaomi 14 Pro",
    "Xiaomi 14",
    "Xiaomi 14 Ultra",
    "Xiaomi 15",
    "Xiaomi 13T Pro",
    "Xiaomi 13",
    "Redmi Note 13",
    "Redmi Note 13 Pro+",
    "Redmi Note 12",
    "Redmi K70",
    "Redmi 13C",
    "POCO F6",
    "POCO X6 Pro",
    "Xiaomi Pad 6",
]

# --------------------------------------------------------------------------------------------
# MIUI
# --------------------------------------------------------------------------------------------

MIUI_POSTS = [
    # Ideas
    idea(
        "launcher",
        "Let me lock the home screen layout so my kids stop moving icons",
        "My two kids borrow my phone in the evening and every time I get it back half of my "
        'icons are in a folder called "Folder". A simple **Lock layout** switch in home '
        "screen settings would fix it. Long-press would still open the app's shortcuts, it "
        "just wouldn't let anyone drag things around.",
        tags=("home screen",),
    ),
    idea(
        "launcher",
        "App drawer: sort by most used",
        "Alphabetical is fine when you have 30 apps. I have 140. Options I'd like:\n\n"
        "- alphabetical (as now)\n- most used\n- recently installed\n\n"
        "Most used would put the ten apps I actually open right at the top.",
    ),
    idea(
        "launcher",
        "Option to hide the search bar at the bottom of the home screen",
        "I never use it and it takes a whole row. Please make it optional.",
    ),
    idea(
        "launcher",
        "Icon packs should also change the icons in Settings > Apps",
        "I use a monochrome icon pack. The home screen looks great, then I open the app list "
        "in Settings and it's a rainbow again. Small thing, but it breaks the look.",
        tags=("themes",),
    ),
    idea(
        "launcher",
        "Widgets: allow a 4x1 size for the clock and weather widget",
        "The 4x2 one is too tall for my layout and the 2x1 is too small to read at a glance.",
        tags=("widgets",),
    ),
    idea(
        "launcher",
        "Folders: show nine icons in the preview, not four",
        "With a 5x6 grid there's plenty of room. Four tiny icons don't tell me which folder "
        "is which.",
    ),
    idea(
        "launcher",
        "Recent apps as a vertical list",
        "The two-column cards look nice but I can only see four apps. A vertical list like the "
        "old MIUI would show eight. Make it an option under Home screen > Recents.",
    ),
    idea(
        "launcher",
        "桌面图标能不能支持自由摆放，不要自动补位",
        "每次卸载一个应用，后面的图标都会自动往前挪，辛辛苦苦排好的桌面就乱了。希望增加一个开关："
        "**关闭自动补位**。",
        tags=("桌面",),
    ),
    idea(
        "notifications",
        "Group notifications from the same chat instead of one per message",
        "When my family group gets going I end up with 25 separate notifications from the "
        "same chat. One expandable group per conversation, please.",
    ),
    idea(
        "notifications",
        "Snooze a notification for an hour straight from the shade",
        "Swipe a little to the side → snooze 15 min / 1 h / 2 h. Stock Android had this for "
        "years; I'd love to have it back.",
    ),
    idea(
        "notifications",
        "Notification history: show what I swiped away by accident",
        "At least once a day I clear a notification with my thumb before reading it and "
        "there's no way to get it back. A simple history of the last 24 hours would do.",
    ),
    idea(
        "notifications",
        "Per-contact vibration patterns",
        "I want to know it's my partner without taking the phone out of my pocket. Let me "
        "pick a vibration pattern per contact, like ringtones.",
    ),
    idea(
        "notifications",
        "Quiet hours that follow my work calendar",
        "I'm a nurse on rotating shifts. A fixed Do Not Disturb schedule doesn't work for me. "
        "Could DND turn on automatically during calendar events marked *Sleep* or *Busy*?",
    ),
    idea(
        "notifications",
        "Mute a group chat until tomorrow morning with one tap",
        "Long-press the notification → **Mute until 8:00**. That's the whole idea.",
    ),
    idea(
        "notifications",
        "Show the full text of long notifications when I expand them",
        "Expanded notifications still cut off after three lines. If I expand it, I want all of it.",
    ),
    idea(
        "notifications",
        "通知栏和控制中心能不能恢复成旧版的样式",
        "新版的控制中心好看，但是我更习惯下拉一次就能看到通知和开关。希望能在设置里保留旧版样式，"
        "让用户自己选择。",
    ),
    idea(
        "notifications",
        "希望验证码短信能自动复制，并在几分钟后自动删除",
        "现在每天收好几条验证码，短信列表全是这些。建议：\n\n1. 收到验证码自动复制\n"
        "2. 使用后十分钟自动删除\n3. 可以在设置里关闭",
    ),
    idea(
        "battery",
        "Charge limit at 80% for phones that stay plugged in overnight",
        "My phone sits on the charger every night from 23:00 to 07:00. Keeping it at 100% "
        "for eight hours is not great for the battery. Please add a **stop at 80%** option, "
        "or at least make smart charging learn my alarm time.\n\n"
        "Background: [Battery University on charge levels]"
        "(https://batteryuniversity.com/article/bu-808-how-to-prolong-lithium-based-batteries).",
        tags=("battery health",),
    ),
    idea(
        "battery",
        "Show which app woke the phone up overnight",
        "I lose 6–8% overnight with everything closed. The battery page shows usage but not "
        '*wake-ups*. A simple list "woke the phone 43 times: App X" would help us find the '
        "culprits ourselves.",
    ),
    idea(
        "battery",
        "One place to exempt apps from battery saver",
        "Right now it's three different menus (battery saver, autostart, background "
        "restrictions) and my podcast app still gets killed. One list: *never restrict these "
        "apps*.",
    ),
    idea(
        "battery",
        "Estimated time to full charge on the lock screen",
        'Just "Full in 35 min" under the clock while charging.',
    ),
    idea(
        "battery",
        "A weekly battery report, like the screen time report",
        "Average screen-on time, average drain per hour, the apps that used the most, and "
        "whether it got better or worse than last week.",
    ),
    idea(
        "battery",
        "Tell me when a charger or cable is slow",
        "Half my cables are slow and I only notice when the phone is still at 40% after an "
        'hour. A small "slow charger" note would save me a lot of guessing.',
    ),
    idea(
        "battery",
        "增加充电到80%自动停止的选项",
        "晚上一直插着充电，希望能设置充到80%就停止，保护电池。很多别的手机都已经有了。",
        tags=("battery health",),
    ),
    idea(
        "settings",
        "Settings search should find things by their old names",
        'Every time a menu is renamed I can\'t find it anymore. Searching "Developer options" '
        'or "Battery optimisation" should still work even if the page has a new name.',
    ),
    idea(
        "settings",
        "Export and import all my settings when I switch phones",
        "Mi Mover copies apps and data but I still spend an evening redoing gestures, "
        "notification settings, quick tiles and Do Not Disturb. One file with all of it, "
        "please.",
    ),
    idea(
        "settings",
        "Dark mode schedule from sunset to sunrise",
        "Custom times are fine but in winter it's dark at 16:30 and in summer at 21:30.",
    ),
    idea(
        "settings",
        "Per-app language shortcut on the app info page",
        "I want my banking app in English and my messaging apps in Chinese. The setting exists "
        "somewhere but it's three menus away.",
    ),
    idea(
        "settings",
        "Quick tile: mobile data only for selected apps",
        "When I'm abroad I want maps and messages on mobile data and nothing else. A quick "
        "tile that switches to that list would be perfect.",
    ),
    idea(
        "settings",
        "Second space: share one photos folder between both spaces",
        "I use Second space for work. Every time I need a photo from my personal space I have "
        "to move it manually.",
    ),
    idea(
        "settings",
        "One-handed mode for the control centre",
        "On a 6.7\" phone I can't reach the top row of tiles with one hand. Let the control "
        "centre open at the bottom half of the screen.",
        tags=("accessibility",),
    ),
    idea(
        "settings",
        "设置里的搜索能不能支持拼音首字母",
        '比如输入 "lywj" 就能找到 "蓝牙耳机"。桌面搜索已经支持了，设置里还不行。',
    ),
    idea(
        "lock-screen",
        "Show the next alarm on the always-on display",
        "I wake up at night and want to know if my alarm is set without touching the phone.",
    ),
    idea(
        "lock-screen",
        "Choose which shortcuts appear on the lock screen",
        "Camera and torch are fine, but I'd swap the torch for the sound recorder or the QR "
        "scanner. Let us choose.",
    ),
    idea(
        "lock-screen",
        "Bring back weather on the lock screen",
        "It was there two years ago and I miss it every morning.",
    ),
    idea(
        "lock-screen",
        "Fingerprint unlock should skip the unlock animation",
        "When I unlock with the fingerprint sensor I want to be in my last app immediately. "
        "The animation adds half a second every single time.",
    ),
    idea(
        "lock-screen",
        "Emergency contact line on the lock screen",
        'A line like "If found, call …" or "Allergic to penicillin" under the clock. The '
        "medical info page exists but nobody knows how to open it.",
        tags=("accessibility",),
    ),
    idea(
        "lock-screen",
        "锁屏时钟希望可以自定义字体",
        "现在只有几种样式，希望可以选择字体和粗细，或者直接用主题里的字体。",
    ),
    # Bug reports
    bug(
        "launcher",
        "Home screen icons shuffle after every reboot",
        "After restarting the phone, the icons on my second page move to the first page and "
        "two folders swap places. Happens every reboot since I updated to {build}.",
    ),
    bug(
        "launcher",
        "Launcher crashes when I open a folder with more than 30 apps",
        "**Steps**\n\n1. Put 31+ apps in one folder\n2. Open the folder\n3. Scroll down\n\n"
        "**What happens:** the home screen goes black and restarts.\n\n"
        "With 29 apps it works fine.",
    ),
    bug(
        "launcher",
        "Widgets go blank after switching theme",
        "Clock, weather and calendar widgets are empty squares after I apply any theme. "
        "Removing and re-adding them fixes it until the next theme change.",
        tags=("widgets", "themes"),
    ),
    bug(
        "launcher",
        "Back gesture doesn't work in landscape",
        "Full-screen gestures, landscape, any app: swiping from the left or right edge does "
        "nothing. Portrait is fine.",
    ),
    bug(
        "launcher",
        "App drawer search opens the keyboard and then closes it again",
        "Tap the search field in the app drawer: the keyboard slides up and immediately "
        "disappears. Second tap works.",
    ),
    bug(
        "launcher",
        "Icon labels cut off for apps with mixed Chinese and English names",
        '"微信 WeChat" shows as "微信 We…" even though there\'s space. Only with system '
        "language set to English.",
    ),
    bug(
        "notifications",
        "WhatsApp notifications arrive 10–20 minutes late with the screen off",
        'Battery saver off, autostart on, "No restrictions" for WhatsApp. Messages still '
        "arrive in bursts when I turn the screen on. Started with {build}; the previous build "
        "was fine.",
        tags=("delayed notifications",),
    ),
    bug(
        "notifications",
        "Notification sound plays twice",
        "Every incoming message plays the sound twice, about a second apart. Vibration only once.",
    ),
    bug(
        "notifications",
        "Do Not Disturb turns off at 07:00 even though the schedule ends at 08:30",
        "Schedule: 23:00–08:30, every day. It turns off at 07:00 sharp and my phone wakes me "
        "up with work emails. I'm on {build}.",
    ),
    bug(
        "notifications",
        "Status bar icons overlap the camera cutout",
        "With more than four notification icons, the last one is drawn under the punch-hole "
        "camera.",
    ),
    bug(
        "notifications",
        "Alarm volume follows media volume",
        "If I turn media volume down at night, my alarm in the morning is just as quiet. They "
        "used to be separate.",
    ),
    bug(
        "notifications",
        "Screenshot notification can't be dismissed",
        "After taking a screenshot, the thumbnail notification stays forever. Swiping does "
        "nothing, only a reboot clears it.",
    ),
    bug(
        "notifications",
        "微信消息通知延迟严重",
        "锁屏后微信消息经常延迟十几分钟才收到，已经设置了自启动和无限制省电。更新到{build}之后开始的。",
        tags=("delayed notifications",),
    ),
    bug(
        "battery",
        "15% battery drain overnight since the last update",
        "Before the update: 2–3% overnight. Now 15%, airplane mode off, Wi-Fi on. Battery "
        'page shows "Android System" at the top. Logs sent through Feedback.',
    ),
    bug(
        "battery",
        "Phone gets hot while charging with the screen off",
        "Not wireless, the original 120 W charger. It gets noticeably warm at around 60% even "
        "with the screen off.",
    ),
    bug(
        "battery",
        "Battery percentage jumps from 23% to 5%",
        "Happened three times this week. It goes 23 → 5 and then shuts down a few minutes "
        "later. Battery health says 91%.",
    ),
    bug(
        "battery",
        "Battery usage screen is empty",
        "Settings > Battery > Battery usage shows the graph but no apps under it, for any day.",
    ),
    bug(
        "battery",
        "Ultra battery saver exits by itself",
        "I turn on Ultra battery saver at 10%, and a few minutes later the phone is back in "
        "normal mode with all apps running.",
    ),
    bug(
        "battery",
        "更新后待机耗电明显增加",
        "以前晚上待机掉电2%左右，更新到{build}后一晚上掉了10%。电池页面显示系统服务耗电最多。",
    ),
    bug(
        "settings",
        "Settings crashes when opening Passwords & security",
        "Tap *Passwords & security* → Settings closes. Every time. Fingerprint still works "
        "for unlocking.",
    ),
    bug(
        "settings",
        "Dark mode switches back to light after a restart",
        "Dark mode on, restart, light mode. The toggle still shows dark mode as on.",
    ),
    bug(
        "settings",
        "Wi-Fi keeps disconnecting on 5 GHz networks",
        "Home router, 5 GHz band. The phone drops the connection every 10–15 minutes and "
        "reconnects after a few seconds. 2.4 GHz is fine. Other phones in the house are fine.",
    ),
    bug(
        "settings",
        "Bluetooth codec resets to SBC every time",
        "I set LDAC in developer options; after the headphones reconnect it's back to SBC.",
    ),
    bug(
        "settings",
        "Font size setting isn't applied in the Phone app",
        "Font size at the largest step. Every app follows it except the dialer and call log.",
        tags=("accessibility",),
    ),
    bug(
        "settings",
        "Mobile data stops working after a call",
        "After every phone call, mobile data is dead until I toggle airplane mode. Dual SIM, "
        "data on SIM 2.",
    ),
    bug(
        "settings",
        "Split screen: the keyboard covers the bottom app",
        "In split screen, typing in the bottom app: the keyboard covers the text field "
        "instead of pushing the app up.",
    ),
    bug(
        "settings",
        "NFC payment opens the wrong wallet",
        "Default payment app is set to my bank's app, but tapping the terminal opens Mi Pay.",
    ),
    bug(
        "settings",
        "蓝牙耳机连接后音量忽大忽小",
        "连接蓝牙耳机听歌时音量会突然变大又变小，有线耳机没有这个问题。",
    ),
    bug(
        "settings",
        "系统更新后个人热点无法连接",
        "更新之后开个人热点，电脑能看到但是连不上，一直显示正在获取IP地址。",
    ),
    bug(
        "lock-screen",
        "Always-on display shows yesterday's date after midnight",
        "AOD clock is right, but the date under it only changes when I wake the screen.",
    ),
    bug(
        "lock-screen",
        "Fingerprint fails on the first try after the screen turns off",
        'The first touch after the screen goes off always says "Try again". The second '
        "touch works. Same finger, same angle.",
    ),
    bug(
        "lock-screen",
        "Lock screen clock overlaps notifications with large font",
        "With the largest font size, the clock and the first notification overlap.",
        tags=("accessibility",),
    ),
    bug(
        "lock-screen",
        "Double tap to wake stops working after a few hours",
        "Works after a reboot, stops working some hours later. Lift to wake still works.",
    ),
    bug(
        "lock-screen",
        "Screen timeout ignored when a video is paused",
        "Pause a video in any app and the screen stays on until I lock it myself. Drained "
        "my battery twice this week.",
    ),
    bug(
        "lock-screen",
        "人脸解锁在暗光下经常失败",
        "晚上关灯后人脸解锁基本识别不了，以前的版本暗光也能用。",
    ),
    # Discussions
    talk(
        None,
        "What's the one MIUI feature you'd never give up?",
        "For me it's the screen recorder with internal audio. What's yours?",
    ),
    talk(
        None,
        "Is the Friday build worth installing on your daily phone?",
        "I've been on stable for two years and I'm tempted. How often do you hit something "
        "that really breaks your day?",
    ),
    talk(
        "launcher",
        "Share your home screen setups — November edition",
        "Rules: one screenshot, list your icon pack, wallpaper and widgets. No judging. "
        "(Okay, a little judging.)",
        tags=("home screen",),
    ),
    talk(
        "battery",
        "How do you read the battery graph?",
        'I see the green and grey bars but I\'m not sure what "screen on" vs "awake" means '
        "in practice. Can someone explain like I'm five?",
    ),
    talk(
        None,
        "Developer builds vs stable: which are you on and why?",
        "Quick poll in the comments. I'm on developer builds for the new features and I "
        "accept the occasional bug.",
    ),
    talk(
        "settings",
        "Five settings I change on every new Xiaomi phone",
        "1. **Gestures** instead of buttons\n2. Turn off *personalised ad recommendations* "
        "(Settings > Passwords & security > Privacy)\n3. Autostart for my messaging apps\n"
        "4. Refresh rate to 120 Hz\n5. Turn off the lock screen carousel\n\nWhat's on your "
        "list?",
    ),
    talk(None, "Gesture navigation or buttons?", "Been using buttons for years. Convince me."),
    talk(
        "launcher",
        "Themes store: is it worth paying for themes?",
        "Some themes are 12 yuan. The free ones are fine for me, but I'm curious if the paid "
        "ones are noticeably better.",
        tags=("themes",),
    ),
    talk(
        "notifications",
        "Anyone else miss the old notification shade?",
        "The new one is prettier, the old one was faster. I'd take faster.",
    ),
    talk(
        "battery",
        "How long does your battery last with always-on display on?",
        "I get about 6 hours of screen-on time with AOD on, 7 without. Curious about other phones.",
    ),
    talk(
        None,
        "Thank you to whoever fixed the alarm volume bug",
        "It's been driving me mad for a month and it's gone in this week's build. Thank you!",
    ),
    talk(
        None,
        "What should the team focus on before the next stable release?",
        "My vote: stability over features. The delayed notifications thing first.",
    ),
    talk(
        "settings",
        'Is "Clean up" in Security actually useful?',
        "Does clearing cache every day do anything for performance, or is it placebo?",
    ),
    talk("launcher", "How do you organise 200+ apps?", "Folders by colour? By use? Chaos?"),
    talk("lock-screen", "Show us your lock screen", "Wallpaper carousel, yes or no?"),
    talk(
        None,
        "How to attach logs to a bug report properly",
        "Since a lot of new testers joined:\n\n1. Reproduce the bug\n2. Open **Services & "
        "feedback** right after\n3. Choose *Bug*, describe what happened, tick **Attach "
        "logs**\n4. Copy the feedback ID and paste it in your post here\n\nThe engineers "
        "can't do much with \"it doesn't work\", but with logs they often fix it within a week.",
        tags=("guide",),
    ),
    talk(
        "notifications",
        "Why are notifications grouped by app and not by person?",
        "If my sister messages me on two apps I get two groups. Just curious how others "
        "think about this.",
    ),
    talk(
        None,
        "Welcome, new testers: read this before posting a bug",
        "Hi all, and welcome to the board.\n\n- **Search first.** If someone already "
        "reported it, vote for it and add your device and build in a comment.\n- **One bug "
        "per post.**\n- **Always include your build and device.** The bug form has fields "
        "for both.\n- Be kind. The engineers read this board every day.\n\nThanks! — mo",
        author="mo",
        age_days=85,
        votes=24,
    ),
    talk(
        None, "大家觉得这周的开发版怎么样？", "我这边流畅度提升很明显，耗电好像也正常了。你们呢？"
    ),
    talk(
        "battery",
        "分享一下我的省电设置",
        "1. 关闭5G\n2. 刷新率智能\n3. 后台应用限制\n\n一天下来剩40%。",
    ),
    talk(
        None, "开发版和稳定版该怎么选？", "新手一枚，想体验新功能但又怕不稳定，大家有什么建议吗？"
    ),
    talk(None, "第一次参加内测，有什么需要注意的吗？", "刚通过答题，求老用户指点。"),
]

# --------------------------------------------------------------------------------------------
# Sound Recorder
# --------------------------------------------------------------------------------------------

SOUND_RECORDER_POSTS = [
    # The journalists' requests: the board's best-known threads.
    idea(
        "recording",
        "Mute the phone automatically while recording",
        "I record interviews for a regional radio station, always on my phone. Twice this "
        "month a message notification went off in the middle of the best quote of the "
        "interview, and once the phone *vibrated on the table*, which sounds like an "
        "earthquake on the recording.\n\n"
        "Please add an option:\n\n"
        "- **while recording, silence all notification sounds and vibration**\n"
        "- restore everything when the recording stops\n\n"
        "Do Not Disturb is not the same thing: I forget to turn it off afterwards and then "
        "miss my editor's calls for the rest of the day.",
        tags=("journalism",),
        author="hannah_reports",
        votes=37,
        status="shipped",
        shipped_builds_ago=1,
        age_days=74,
        thread=(
            Said("priya_newsdesk", "Yes, yes, yes. Every reporter I know has this story."),
            Said(
                "markus.audio",
                "Same for podcasting in the field. A vibration on a wooden table is the worst "
                "possible noise.",
            ),
            Said(
                "li_jizhe",
                "中文区也有人提了同样的需求，支持！",
            ),
            Said(
                "maya",
                "Thanks Hannah, this is a great one. We'll look at it in Monday's planning. "
                "Question for everyone: should alarms still ring while recording?",
            ),
            Said(
                "hannah_reports",
                "Alarms: yes please, but phone calls should be silenced too (see my other "
                "post about calls).",
                reply_to=3,
            ),
            Said(
                "sofia.reyes",
                "For lectures I'd want alarms off too. Maybe a choice?",
                reply_to=3,
            ),
        ),
    ),
    idea(
        "recording",
        "Incoming calls must not interrupt a recording",
        "Right now when a call comes in during a recording, the recording stops and gets "
        "saved. For an interview that is a disaster: the person I'm interviewing loses their "
        "train of thought, I lose the moment, and I end up with two files.\n\n"
        "What I'd expect:\n\n1. The recording **keeps going** no matter what\n2. The call is "
        "silenced (or shown as a small banner without sound)\n3. I can call back afterwards\n\n"
        "Happens on {device} with the current build.",
        tags=("journalism",),
        author="priya_newsdesk",
        votes=33,
        status="in_progress",
        age_days=68,
        thread=(
            Said("hannah_reports", "This plus auto-mute and the app is perfect for reporters."),
            Said("nina.petrova", "Voted. I record long client calls and meetings, same issue."),
            Said(
                "maya",
                "We're working on this now. The tricky part is phones where the modem and the "
                "microphone share a path; we want it to work on all of them before we ship.",
            ),
            Said("priya_newsdesk", "Thank you! Happy to test an internal build.", reply_to=2),
        ),
    ),
    idea(
        "cloud-sync",
        "Upload recordings to the cloud as they are being made",
        "If my phone is lost, stolen or taken away from me during an assignment, the "
        "recording is gone. It has happened to colleagues at protests.\n\n"
        "Proposal: upload the recording **in chunks while it is being made** (every minute or "
        "so) to Xiaomi Cloud, so that whatever was recorded up to that point is safe. Even "
        "better if it works with my own WebDAV server.\n\n"
        "Related: [CPJ's digital safety kit for journalists](https://cpj.org/2019/07/"
        "digital-safety-kit-journalists/).",
        tags=("journalism", "cloud"),
        author="hannah_reports",
        votes=29,
        status="planned",
        age_days=61,
        thread=(
            Said("li_jizhe", "非常需要这个功能，采访现场手机被抢过一次。"),
            Said("markus.audio", "Should be optional and Wi-Fi only by default, please."),
            Said(
                "priya_newsdesk",
                "For us it must work on mobile data, that's the whole point.",
                reply_to=1,
            ),
            Said(
                "maya",
                "Planned. We'll upload in small chunks and make mobile data a separate switch, "
                "off by default. Encryption is part of the plan, not an afterthought.",
            ),
        ),
    ),
    idea(
        "recording",
        "录音时自动静音手机",
        "我是做采访的记者，经常用手机录音。录音的时候来了消息提醒或者振动，录音就毁了。希望录音时"
        "**自动静音并关闭振动**，停止录音后自动恢复。",
        tags=("journalism",),
        author="li_jizhe",
        votes=21,
        status="shipped",
        shipped_builds_ago=1,
        age_days=70,
    ),
    idea(
        "recording",
        "通话时不要中断录音",
        "录音过程中来电话，录音就自动停止了。采访录音非常需要来电时**继续录音**，电话静音或者只显示"
        "横幅就行。",
        tags=("journalism",),
        author="li_jizhe",
        votes=18,
        status="in_progress",
        age_days=66,
    ),
    idea(
        "cloud-sync",
        "录音实时上传到云端",
        "边录边传，手机丢了录音也不会丢。可以只在WiFi下上传，或者让用户选择。",
        tags=("cloud",),
        author="yang_shu",
        votes=9,
    ),
    # Ideas
    idea(
        "recording",
        "Add a marker with one tap while recording",
        "During an interview I want to tap once when something quotable is said, so I can "
        "jump straight to it later. The current flag button is tiny and hidden behind the "
        "menu.",
        tags=("journalism",),
    ),
    idea(
        "recording",
        "Start a recording from the lock screen without unlocking",
        "Sometimes I need to start recording *now*. Let me do it from the lock screen; "
        "playing back old recordings can still require unlocking.",
    ),
    idea(
        "recording",
        "Choose the microphone: bottom, top or external USB-C",
        "The app picks a mic for me. When the phone is in my shirt pocket I want the top "
        "microphone, when it's on a table the bottom one.",
    ),
    idea(
        "recording",
        "Show the input level in dB with a clip warning",
        "The bouncing waveform is pretty but doesn't tell me if I'm clipping. A simple meter "
        "with a red zone above -3 dB would.",
    ),
    idea(
        "recording",
        "Lossless WAV option",
        "For music and podcasts I want 48 kHz / 24-bit WAV. Storage is cheap.",
    ),
    idea(
        "recording",
        "Recording presets: Interview, Lecture, Music",
        "Each preset sets the mic, gain and format. **Interview** = both mics, voice "
        "processing; **Lecture** = far-field, long recordings; **Music** = no processing, WAV.",
    ),
    idea(
        "recording",
        "Stereo recording on phones with two microphones",
        "Most of our phones have two or three mics. Stereo recordings of concerts and nature "
        "would sound so much better.",
    ),
    idea(
        "recording",
        "Schedule a recording",
        "I record a radio programme every Sunday at 10:00. Let me schedule it.",
    ),
    idea(
        "recording",
        "Quick tile in the control centre to start recording",
        "One tap from anywhere. It could show the elapsed time while recording.",
    ),
    idea(
        "recording",
        "Wind noise reduction for outdoor recordings",
        "Every outdoor interview has that rumble. A toggle for wind reduction would help a "
        "lot, even if it slightly affects quality.",
    ),
    idea(
        "recording",
        "Use the Bluetooth headset mic as the source",
        "For recording voice notes while walking with earbuds in.",
    ),
    idea(
        "recording",
        "Keep the screen on while recording (optional)",
        "So I can see the timer and level during a long interview without touching the phone.",
    ),
    idea(
        "recording",
        "Warn me before storage runs out, don't just stop",
        "At 10 minutes of space left, show a warning with an estimate. Right now it just stops.",
    ),
    idea(
        "recording",
        "希望能在录音时添加文字备注",
        '录组会的时候想在某个时间点记一句话，比如"这里老师讲了重点"，回放时可以直接跳过去。',
    ),
    idea(
        "playback",
        "Skip silence during playback",
        "Lectures have long pauses. A *skip silence* toggle like podcast apps have would save "
        "me 20 minutes per recording.",
    ),
    idea(
        "playback",
        "Playback speed from 0.5× to 3×",
        "Currently the steps stop at 2×. For transcribing, 0.75× would be very useful too.",
    ),
    idea(
        "playback",
        "Double-tap to jump back 5 seconds",
        "Like video players. Essential when transcribing by hand.",
    ),
    idea(
        "playback",
        "Trim the start and end of a recording without making a copy",
        "Every trim creates a new file and I end up with *Recording 14 (1)*, *Recording 14 "
        "(2)*… Let me trim in place (with undo).",
    ),
    idea(
        "playback",
        "Zoomable waveform",
        "Pinch to zoom on the waveform to find the exact spot to cut.",
    ),
    idea(
        "playback",
        "Name recordings automatically with date and place",
        '"2026-11-12 Lisbon" is more useful than "Recording 57".',
    ),
    idea(
        "playback",
        "Folders or tags for recordings",
        "I have lectures, interviews and music practice all in one list of 400 files.",
    ),
    idea(
        "playback",
        "Star a recording as a favourite",
        "Simple. A star, and a filter to show only starred recordings.",
    ),
    idea(
        "transcription",
        "On-device transcription in English and Chinese",
        "I'm not allowed to upload interviews to any cloud service. On-device transcription "
        "would make this app usable at work.",
        tags=("privacy",),
    ),
    idea(
        "transcription",
        "Export the transcript with timestamps as .txt or .srt",
        "So I can paste it into my article or use it as subtitles for a video.",
    ),
    idea(
        "transcription",
        "Speaker labels in transcripts",
        '"Speaker 1 / Speaker 2" would already be a huge help, with the option to rename them.',
    ),
    idea(
        "transcription",
        "Summaries of long recordings — on the device, please",
        "A few bullet points for a 90-minute meeting. Only if it runs locally.",
        tags=("privacy",),
    ),
    idea(
        "transcription",
        "转写支持粤语",
        "香港用户，普通话转写很准，但粤语基本识别不了。希望支持粤语。",
    ),
    idea(
        "cloud-sync",
        "Sync only over Wi-Fi, with an override per recording",
        "Default Wi-Fi only, but let me force-sync one important recording on mobile data.",
    ),
    idea(
        "cloud-sync",
        "Share a recording as a link instead of a 40 MB file",
        "Messaging apps compress or reject big audio files. A link would be nicer.",
    ),
    idea(
        "cloud-sync",
        "Back up to my own WebDAV or Nextcloud",
        "Some of us can't use commercial cloud storage for work recordings.",
        tags=("privacy", "cloud"),
    ),
    idea(
        "cloud-sync",
        "Show the sync status on each recording",
        "A small cloud icon: synced, syncing, waiting for Wi-Fi, failed.",
    ),
    idea(
        "cloud-sync",
        "End-to-end encryption for recordings in the cloud",
        "Interviews with sources should not be readable by anyone but me.",
        tags=("privacy", "journalism"),
    ),
    # Bug reports
    bug(
        "recording",
        "Recording stops after exactly 2 hours",
        "Lecture recordings stop at 2:00:00 every time, without any message. Plenty of "
        "storage, battery at 60%.",
    ),
    bug(
        "recording",
        "Recording gets cut when the screen turns off in battery saver",
        "With battery saver on, recordings stop a minute or two after the screen turns off. "
        "The file is saved but it's short.",
    ),
    bug(
        "recording",
        "First second of every recording is silent",
        "Press record, start talking immediately: the first word is always missing.",
    ),
    bug(
        "recording",
        "Long recordings play back slightly too fast",
        "In recordings over an hour the voices sound a bit higher and the length is a few "
        "seconds shorter than the real time.",
    ),
    bug(
        "recording",
        "External USB-C microphone not detected",
        "My USB-C lavalier mic works in the camera app and in other recorder apps, but Sound "
        "Recorder still uses the built-in mic.",
    ),
    bug(
        "recording",
        "Crackling noise in recordings since the last update",
        "Quiet room, phone on a table: there's a soft crackle every few seconds in every "
        "recording made with {build}. Recordings from last month are clean.",
    ),
    bug(
        "recording",
        "App crashes when I press pause twice quickly",
        "**Steps:** record → pause → resume → pause quickly. The app closes and the "
        "recording is lost.",
    ),
    bug(
        "recording",
        "Bluetooth mic switches back to the phone mic mid-recording",
        "After about 5 minutes the source silently switches from my earbuds to the phone.",
    ),
    bug(
        "recording",
        'Widget still shows "Recording" after I stopped',
        "The home screen widget keeps counting up after the recording is saved.",
    ),
    bug(
        "recording",
        "Tapping the recording notification does nothing",
        "While recording, the notification shows the timer, but tapping it doesn't open the app.",
    ),
    bug(
        "recording",
        "Interview mode records too quietly",
        "Even with the phone 30 cm from both people, the level is very low and I have to "
        "boost it by 12 dB afterwards.",
    ),
    bug(
        "recording",
        "Call recording saves an empty file",
        "Call recording on, the file appears after the call but it's 0:00 long.",
    ),
    bug(
        "recording",
        "Recording stops when another app uses the microphone",
        "If I use voice typing in the keyboard while recording, the recording stops.",
    ),
    bug(
        "recording",
        '"Storage full" warning with 40 GB free',
        "The app refuses to record and says storage is full. Files app says 40 GB free.",
    ),
    bug(
        "recording",
        "录音超过一小时后文件损坏无法播放",
        "录组会，一个半小时，录完之后文件打不开，显示0秒。短的录音没问题。",
    ),
    bug(
        "playback",
        "Playback position resets when I lock the phone",
        "Listening at 34:12, lock the phone, unlock: back at 0:00.",
    ),
    bug(
        "playback",
        "New recordings don't appear in the list until I restart the app",
        "I record something, go back to the list, and it's not there. Force-stop and reopen, "
        "and it is.",
    ),
    bug(
        "playback",
        "1.5× speed sounds robotic",
        "At 1.5× voices get a metallic, robotic sound. Other players do 1.5× without it.",
    ),
    bug(
        "playback",
        "Trim saves the wrong part of the recording",
        "I select 2:10–4:30 and save. The result is 0:00–2:20.",
    ),
    bug(
        "playback",
        "Sound plays from the speaker with headphones plugged in",
        "Wired headphones via USB-C adapter: every other app plays through them, Sound "
        "Recorder plays through the speaker. Awkward on the train.",
    ),
    bug(
        "playback",
        "Waveform is flat for recordings made with an external mic",
        "The audio is fine, but the waveform shows a straight line.",
    ),
    bug(
        "playback",
        "Renaming a recording loses its markers",
        "All the flags I set during the interview disappear when I rename the file.",
    ),
    bug(
        "playback",
        "Recordings sorted by name instead of date after the update",
        "And there's no option to change it back.",
    ),
    bug(
        "playback",
        "播放录音时锁屏后声音中断",
        "播放录音的时候锁屏，几秒后声音就停了，需要解锁重新播放。",
    ),
    bug(
        "cloud-sync",
        "Sync stuck at 99% for large files",
        "Recordings over 200 MB never finish syncing. Small ones are fine.",
    ),
    bug(
        "cloud-sync",
        "Deleted recordings come back after sync",
        "I delete 20 old recordings, and the next day they're back.",
    ),
    bug(
        "cloud-sync",
        "Duplicate recordings after moving to a new phone",
        'Every recording appears twice on the new phone, one with "(1)" at the end.',
    ),
    bug(
        "cloud-sync",
        'Sync uses mobile data with "Wi-Fi only" turned on',
        "Lost 1.2 GB of my data plan this month. The setting clearly says Wi-Fi only.",
    ),
    bug(
        "cloud-sync",
        "Shared link expires after one hour",
        'I send the link to my editor, she opens it the next morning: "Link expired".',
    ),
    bug(
        "cloud-sync",
        "云同步一直显示失败",
        '登录了小米账号，云同步一直显示"同步失败"，换了网络也一样。',
    ),
    bug(
        "transcription",
        "Transcript timestamps drift after 10 minutes",
        "Tapping a sentence at 25 minutes jumps to a spot about 20 seconds later in the audio.",
    ),
    bug(
        "transcription",
        "Transcription fails for recordings longer than 30 minutes",
        '"Transcription failed, try again later." Shorter recordings work.',
    ),
    bug(
        "transcription",
        "Mixed Chinese and English speech turns into gibberish",
        "We switch languages mid-sentence all the time. The transcript is unusable when we do.",
    ),
    bug(
        "transcription",
        ".srt export has the wrong encoding for Chinese",
        "Chinese characters show up as question marks in the exported subtitle file.",
    ),
    bug(
        "transcription",
        "转写结果标点全部丢失",
        "最近转写出来的文字没有任何标点，一大段连在一起，之前是有标点的。",
    ),
    # Discussions
    talk(
        None,
        "Journalists: how do you record interviews on your phone?",
        "Curious about your setup. Mine: phone on the table, airplane mode on, recorder at "
        "48 kHz, a backup recording on a second phone for anything important.",
        tags=("journalism",),
        author="priya_newsdesk",
    ),
    talk("recording", "Best external mic for the Xiaomi 14?", "Budget under 500 yuan."),
    talk(
        "recording",
        "Recording lectures: show your setup",
        "I put the phone on the lectern with a small stand. Works better than the back row.",
    ),
    talk("recording", "What format do you record in?", "M4A for speech, WAV for music?"),
    talk(
        "transcription",
        "Should transcription happen on the phone or in the cloud?",
        "Cloud is more accurate today, on-device is private. Where do you stand?",
        tags=("privacy",),
    ),
    talk(
        None,
        "Is call recording legal where you live?",
        "Not legal advice, just curious how it works in different countries. In Germany both "
        "sides must agree.",
    ),
    talk(
        "playback",
        "How do you organise hundreds of recordings?",
        "I rename every file by hand and it's killing me.",
    ),
    talk(
        None,
        "Sound Recorder vs third-party recorder apps",
        "What does the built-in app do better, and what keeps you on another app?",
    ),
    talk(
        "recording",
        "Recording concerts: tips for loud environments",
        "Lower the gain, don't cover the bottom mic, and record in WAV if you can.",
    ),
    talk(
        None,
        "Podcasters here? Let's compare workflows",
        "I record on the phone, edit on a laptop. Looking for ways to skip the laptop.",
        author="markus.audio",
    ),
    talk("playback", "What do you use markers for?", 'Quotes, questions, "check this later"…'),
    talk(
        "cloud-sync",
        "Do you trust cloud sync with interview recordings?",
        "Genuinely asking. Some of my sources would not be happy.",
        tags=("privacy", "journalism"),
    ),
    talk(
        "transcription",
        "Transcription accuracy with accents: share your results",
        "Scottish English: maybe 80%. Indian English: 90%+. Yours?",
    ),
    talk(
        "recording",
        "Recording birdsong: surprisingly good",
        "Early morning, phone on a fence post, 30 minutes. The blackbird came out great.",
    ),
    talk(
        None,
        "How much storage do your recordings take?",
        "Mine: 14 GB this year, mostly lectures.",
    ),
    talk(
        None,
        "Teachers: recording classes for absent students",
        "I record every lesson and share it in the class group. Any tips on consent forms and "
        "storage?",
        author="sofia.reyes",
    ),
    talk(
        None,
        "Thank you for the auto-mute: it saved my interview today",
        "Interviewed a minister this morning, my phone got about ten messages during the "
        "recording and not a single sound on the tape. Thank you to the team and to "
        "everyone who voted.",
        tags=("journalism",),
        author="hannah_reports",
        age_days=1.6,
    ),
    talk(None, "大家用录音机主要录什么？", "我主要录组会和讲座，偶尔录一下自己练琴。"),
    talk(
        None,
        "记者朋友们平时用什么设备录音？",
        "手机够用吗？还是会带专门的录音笔？",
        tags=("journalism",),
    ),
    talk("transcription", "转写功能准确率大家觉得怎么样？", "普通话很准，带口音的就一般了。"),
]

# --------------------------------------------------------------------------------------------
# Camera
# --------------------------------------------------------------------------------------------

CAMERA_POSTS = [
    # Ideas
    idea("photo", "Show a level indicator for straight horizons", "Like a spirit level."),
    idea(
        "photo",
        "Let me turn off the shutter sound where it's legal",
        "In my country there's no law about it but the option is still missing.",
    ),
    idea(
        "photo",
        "Shoot RAW and JPEG at the same time",
        "RAW for editing later, JPEG for sharing now. Currently it's one or the other.",
    ),
    idea(
        "photo",
        "Pro mode should remember my settings",
        "ISO, shutter, white balance and focus reset every time I leave Pro mode.",
    ),
    idea(
        "photo",
        "Make the watermark opt-in",
        'Every new phone, the first thing I do is turn off "Shot on Xiaomi". Please make it '
        "off by default.",
    ),
    idea(
        "photo",
        "Focus peaking in Pro mode",
        "Manual focus is hard on a small screen. Highlight the sharp edges in a colour.",
    ),
    idea(
        "photo",
        "A way to turn off all beautification for good",
        "Even with beauty at 0 the front camera smooths my skin. I want my face as it is.",
    ),
    idea(
        "photo",
        "Night mode: let me choose the exposure time",
        "Auto picks 3 s. On a tripod I'd happily wait 10 s for a cleaner shot.",
    ),
    idea(
        "photo",
        "More grid options: golden ratio and 4×4",
        "Rule of thirds is the only one we have.",
    ),
    idea(
        "photo",
        "Volume keys: choose between shutter, zoom and burst",
        "I'd like volume up = shutter, volume down = zoom.",
    ),
    idea(
        "photo",
        "Document mode that straightens receipts automatically",
        "For expenses. Detect the edges, straighten, boost contrast, save as PDF.",
    ),
    idea(
        "photo",
        "One-tap switch to 2×",
        "2× is my favourite focal length for portraits; it takes two taps and a slide.",
    ),
    idea(
        "photo",
        '50 MP mode without going into "More"',
        "Put it on the top bar as a toggle, like HDR.",
    ),
    idea(
        "photo",
        "Reopen the camera in the last mode I used",
        "If I was in Portrait, open in Portrait. Optional.",
    ),
    idea(
        "photo",
        "希望加入更多胶片风格滤镜",
        "现在的滤镜偏网红风，希望加一些经典胶片色彩，比如富士、柯达的风格。",
    ),
    idea(
        "video",
        "4K 60 fps on the ultra-wide lens",
        "The main lens can do it; the ultra-wide stops at 30 fps.",
    ),
    idea(
        "video",
        "A log profile for video",
        "For people who colour-grade. Even a basic flat profile would help.",
    ),
    idea(
        "video",
        "Switch lenses while recording video",
        "Going from 1× to 3× in the middle of a clip at my kid's school play.",
    ),
    idea(
        "video",
        "Show the remaining recording time based on free storage",
        '"2 h 14 min left in 4K" in the corner.',
    ),
    idea(
        "video",
        "Audio zoom: focus the microphones where I zoom",
        "When I zoom into the stage, the audio should follow.",
    ),
    idea(
        "video",
        "Use a Bluetooth mic for video recording",
        "For vlogging with wireless earbuds.",
    ),
    idea(
        "video",
        "Let me choose the stabilisation level",
        "Off / standard / super steady. Super steady crops too much for everyday use.",
    ),
    idea(
        "video",
        "Pause and resume video recording",
        "One file instead of twelve short clips.",
    ),
    idea(
        "video",
        "Timelapse with a custom interval",
        "1 s, 5 s, 30 s. For sunsets and cloud shots.",
    ),
    idea(
        "video",
        "Keep the music playing while recording video",
        "Right now starting a recording stops my music.",
    ),
    idea(
        "video",
        "Slow motion: choose which part is slowed down",
        "Like the editors on other phones. Start and end markers for the slow part.",
    ),
    idea(
        "video",
        "录像时希望能选择外接麦克风",
        "接了USB麦克风，录像还是用手机自带的麦克风，希望能在设置里选择。",
    ),
    idea(
        "gallery",
        "Edit the date and time of a photo",
        "Photos from my old camera have the wrong date and show up in 2009.",
    ),
    idea(
        "gallery",
        "Hide photos from the timeline without deleting them",
        "Screenshots of boarding passes don't need to be between my holiday photos.",
    ),
    idea(
        "gallery",
        "Search photos by the text in them",
        '"wifi password" should find the photo of the sticker on my router.',
    ),
    idea(
        "gallery",
        "Smarter duplicate detection for burst shots",
        "Keep the sharpest one, suggest deleting the rest.",
    ),
    idea(
        "gallery",
        "Shared family albums without a Xiaomi account",
        "My parents use other phones. A link they can add photos to would be enough.",
    ),
    idea(
        "gallery",
        "Show file size and resolution in photo details",
        "Details show the date and location but not how big the file is.",
    ),
    idea(
        "gallery",
        "Undo after deleting a photo",
        'A small "Undo" bar for a few seconds, instead of digging in the recycle bin.',
    ),
    idea("gallery", "A map view of all photos", "Where did I take all these? Show me on a map."),
    idea(
        "gallery",
        "Save edits as a copy by default",
        "Or at least ask. I've overwritten originals by accident too many times.",
    ),
    idea(
        "gallery",
        "Video editor: cut out a piece in the middle",
        "Trimming the ends is all we can do now.",
    ),
    idea(
        "gallery",
        "相册希望支持按人物分类，并且可以手动合并",
        "同一个人经常被识别成两三个人，希望可以手动合并。",
    ),
    idea(
        "gallery",
        "回收站保留时间希望可以设置",
        "30天太短了，有时候想找回的照片已经没了。希望可以设置成60天或90天。",
    ),
    # Bug reports
    bug(
        "photo",
        "Portrait photos of moving kids come out blurry",
        "Indoors, normal light. Photo mode is sharp, portrait mode is blurry every time.",
    ),
    bug(
        "photo",
        "Camera freezes when switching to 5×",
        "The preview freezes for two seconds and then the app restarts.",
    ),
    bug(
        "photo",
        "Green tint in night mode photos",
        "Since the last update, night shots of street lights have a green cast.",
    ),
    bug(
        "photo",
        "Watermark shows the wrong device name",
        "My {device} signs its photos as a different model.",
    ),
    bug(
        "photo",
        "Flash fires but the photo is still dark",
        "The flash goes off, but the photo looks like it was taken before it fired.",
    ),
    bug(
        "photo",
        "HDR photos are saved twice",
        "Every HDR photo appears twice in the gallery, one slightly brighter.",
    ),
    bug(
        "photo",
        "Camera takes three seconds to open from the lock screen",
        "Double-press the power button: black screen for three seconds.",
    ),
    bug("photo", "Grid setting resets after the update", "Had to turn it back on again."),
    bug(
        "photo",
        "Location missing from photos",
        "Location tags are on, location permission granted, photos have no location.",
    ),
    bug(
        "photo",
        "QR scanner in the camera doesn't open links",
        'It recognises the QR code but tapping "Open" does nothing.',
    ),
    bug(
        "photo",
        "Macro mode switches on when I don't want it",
        "Photographing a menu at 20 cm: it switches to the macro lens and the photo is worse.",
    ),
    bug(
        "photo",
        "Purple edges on ultra-wide photos",
        "Strong purple fringing on high-contrast edges, only on the ultra-wide.",
    ),
    bug(
        "photo",
        "Portrait mode cuts off hair and glasses",
        "The blur eats the edges of my glasses and stray hair.",
    ),
    bug(
        "photo",
        "Shutter sound plays in silent mode",
        "Ringer off, silent mode on, shutter sound still plays.",
    ),
    bug("photo", "Zoom slider disappears in Pro mode", "After switching lens once, it's gone."),
    bug("photo", "夜景模式拍照后照片偏黄", "路灯下拍夜景，照片整体偏黄，上个版本没有这个问题。"),
    bug(
        "video",
        "Audio out of sync in 4K 60 fps",
        "After about a minute, audio is half a second behind the picture.",
    ),
    bug(
        "video",
        'Video stops after 10 minutes with "device too hot"',
        "Room temperature, no case. 4K 30 fps stops after ten minutes.",
    ),
    bug(
        "video",
        "Focus hunts in low-light video",
        "Indoors in the evening, focus keeps pulsing in and out.",
    ),
    bug(
        "video",
        "Stabilisation makes the picture wobble when walking",
        "Jelly effect, especially on vertical lines.",
    ),
    bug(
        "video",
        "Front camera video is mirrored even with mirroring off",
        "Photos respect the setting, videos don't.",
    ),
    bug(
        "video",
        "Slow motion videos have no sound",
        "Recorded my son's football goal in slow motion: silent.",
    ),
    bug("video", "Timelapse saved as a 0-second video", "Recorded for 20 minutes, got nothing."),
    bug(
        "video",
        "Front camera only records 1080p",
        "The spec sheet says 4K on the front camera; the setting only offers 1080p.",
    ),
    bug("video", "4K录像时画面卡顿", "4K 60帧录像时预览画面一卡一卡的，录出来的视频也掉帧。"),
    bug(
        "gallery",
        "Photos appear twice after cloud sync",
        "The Gallery shows each photo twice since I turned on sync.",
    ),
    bug(
        "gallery",
        "Editing a photo removes its EXIF data",
        "After cropping, the photo has no date, location or camera info.",
    ),
    bug(
        "gallery",
        "Videos won't play in Gallery",
        '"Can\'t play this video." Same file plays in other apps.',
    ),
    bug("gallery", "Gallery crashes when opening Map view", "Every time, since {build}."),
    bug(
        "gallery",
        "Deleted photos reappear after a reboot",
        "Deleted 50 screenshots, rebooted, they're back.",
    ),
    bug(
        "gallery",
        'Searching for "dog" finds my cat',
        "Not a big deal, but my cat is offended.",
    ),
    bug(
        "gallery",
        "Favourites album is empty after the update",
        "All my hearts are gone. The photos are still there.",
    ),
    bug(
        "gallery",
        "Sharing to messaging apps sends a low-resolution copy",
        'Even with "Send original" picked in the app.',
    ),
    bug("gallery", "相册加载缩略图很慢", "两万多张照片，往下滑的时候缩略图要等很久才出来。"),
    bug("gallery", "编辑照片后无法保存", '裁剪之后点保存，提示"保存失败"。'),
    # Discussions
    talk(
        "photo",
        "Share your best night shot from this month",
        "Tell us the phone and mode. Mine: Xiaomi 14 Pro, night mode, handheld, 2 s.",
    ),
    talk("photo", "Which lens do you use most?", "Main, ultra-wide, telephoto, front?"),
    talk(
        "photo",
        "Leica Authentic or Leica Vibrant?",
        "Authentic for people, Vibrant for food, for me.",
    ),
    talk("photo", "Is 50 MP mode worth it?", "I see more noise and barely more detail."),
    talk("photo", "Watermarks: cool or cringe?", "Be honest."),
    talk(
        "gallery",
        "How do you back up 40,000 photos?",
        "Cloud, a NAS, or a drawer full of SD cards?",
    ),
    talk(
        "photo",
        "Photographing the moon: settings that work",
        "Pro mode, ISO 50, 1/250 s, 5× lens, tap to focus on the moon. Tripod helps.",
    ),
    talk(
        "photo",
        "Pro mode basics for beginners",
        "A short guide:\n\n- **ISO**: lower is cleaner, higher is brighter and noisier\n"
        "- **Shutter speed**: faster freezes motion, slower lets in light\n"
        "- **White balance**: fix the colour of the light\n"
        "- **Focus**: tap, or use the slider for manual focus\n\n"
        "Start with auto ISO and only change the shutter speed.",
        tags=("guide",),
    ),
    talk(
        "video",
        "4K 30 or 1080p 60 for family videos?",
        "4K looks better, 1080p60 is smoother and half the size.",
    ),
    talk("photo", "What happened to the Film mode?", "It was there last year. I miss it."),
    talk("gallery", "Gallery or Google Photos?", "Which do you use and why?"),
    talk(
        "photo",
        "Photographing concerts: my settings",
        "Photo mode, exposure -1, tap on the singer's face. Night mode is too slow.",
    ),
    talk(
        "photo",
        "Street photography with the 23 mm lens",
        "I set it as the default focal length and never looked back.",
    ),
    talk("photo", "Does anyone shoot RAW on the phone?", "Is it worth the storage?"),
    talk(
        "photo",
        "Kids and pets: how do you avoid blur?",
        "Burst mode and a lot of patience, so far.",
    ),
    talk("video", "Cinematic mode: gimmick or useful?", "The focus pulls look fake to me."),
    talk(
        "gallery",
        "Editing workflow: Gallery editor or Lightroom?",
        "The built-in editor got good. I only open Lightroom for RAW now.",
    ),
    talk(
        "photo",
        "Macro photography tips",
        "Hold your breath, use the 3× lens from 10 cm instead of the macro lens.",
    ),
    talk(
        None,
        "What should Camera get in the next stable release?",
        "My list: Pro mode memory, watermark off by default, faster lock screen launch.",
    ),
    talk("photo", "晒晒你用小米拍的照片", "风景、人像、美食都可以，说一下机型和模式。"),
    talk("photo", "夜景模式大家一般怎么用？", "手持还是三脚架？开不开超级夜景？"),
    talk("gallery", "相册的AI搜索好用吗？", '搜"猫"能找到，搜"发票"找不到。'),
]

POSTS = {
    "miui": MIUI_POSTS,
    "sound-recorder": SOUND_RECORDER_POSTS,
    "camera": CAMERA_POSTS,
}

# --------------------------------------------------------------------------------------------
# The four-grid report: mood, most loved change, least effective change, most wanted feature.
# The loader combines these into a report post per build.
# --------------------------------------------------------------------------------------------

MOODS = {
    "en": ["😊 happy", "😞 sad", "😍 love it", "🤞 looking forward"],
    "zh": ["😊 开心", "😞 难过", "😍 超喜欢", "🤞 期待"],
}

REPORT_TITLES = {
    "en": [
        "{build} four-grid report",
        "Four-grid report: {build}",
        "My {build} report: {mood}",
        "{build}: quick four-grid",
        "Four-grid for {build}, after a weekend of use",
    ],
    "zh": ["{build} 四格体验报告", "开发版 {build} 四格报告", "{build} 体验报告：{mood}"],
}

REPORT_LABELS = {
    "en": ["Mood", "Loved most", "Worked least well", "Want most", "Stability"],
    "zh": ["心情：", "最喜欢的更新：", "最不满意的更新：", "最想要的功能：", "稳定性："],
}

REPORT_PIECES = {
    "miui": {
        "en": {
            "loved": [
                "Animations feel smoother at 120 Hz",
                "The alarm volume is separate from media volume again",
                "App drawer search is much faster",
                "The battery page finally lists apps again",
                "Notification shade opens without stutter",
                "Wi-Fi reconnects faster after sleep",
            ],
            "least": [
                "Notifications still arrive late with the screen off",
                "Icons moved on my second home screen after the update",
                "Standby drain seems a bit higher than last week",
                "Control centre stutters the first time I open it",
                "Dark mode turned off by itself once",
            ],
            "wanted": [
                "Charge limit at 80%",
                "Home screen layout lock",
                "Notification history",
                "Snooze notifications from the shade",
                "Export and import of all settings",
            ],
        },
        "zh": {
            "loved": [
                "动画更流畅了",
                "闹钟音量终于和媒体音量分开了",
                "桌面搜索快了很多",
                "耗电页面恢复正常",
            ],
            "least": ["微信通知还是会延迟", "更新后桌面图标又乱了", "待机耗电好像高了一点"],
            "wanted": ["充电到80%停止", "关闭桌面自动补位", "设置搜索支持拼音首字母"],
        },
    },
    "sound-recorder": {
        "en": {
            "loved": [
                "Markers are easier to hit during recording",
                "Waveform loads instantly for long recordings",
                "Transcripts open much faster",
                "Playback remembers the position again",
                "Trim no longer saves the wrong part",
            ],
            "least": [
                "Cloud sync is still slow for big files",
                "1.5× playback still sounds a bit robotic",
                "Bluetooth mic still switches back sometimes",
                "Sort order is still by name",
            ],
            "wanted": [
                "Calls that don't stop the recording",
                "Live upload to the cloud while recording",
                "Speaker labels in transcripts",
                "Skip silence",
            ],
        },
        "zh": {
            "loved": ["标记更好点了", "长录音的波形加载很快", "转写速度提升明显"],
            "least": ["云同步大文件还是很慢", "转写还是没有标点"],
            "wanted": ["通话时不要中断录音", "录音实时上传到云端", "转写支持粤语"],
        },
    },
    "camera": {
        "en": {
            "loved": [
                "Night mode is faster to capture",
                "Camera opens quicker from the lock screen",
                "The 5× lens no longer freezes",
                "Gallery scrolls smoothly through 20k photos",
                "Portrait edges around hair look better",
            ],
            "least": [
                "Night shots still have a slight green tint",
                "Pro mode still forgets my settings",
                "Video focus still hunts in low light",
                "Shared photos still get compressed",
            ],
            "wanted": [
                "Watermark off by default",
                "RAW + JPEG together",
                "Switch lenses while recording",
                "Undo after delete in Gallery",
            ],
        },
        "zh": {
            "loved": ["夜景出片更快了", "锁屏打开相机快了", "相册滑动很流畅"],
            "least": ["夜景还是有点偏黄", "专业模式参数还是不能记忆"],
            "wanted": ["更多胶片滤镜", "回收站保留时间可设置", "录像可选外接麦克风"],
        },
    },
}

REPORT_EXTRAS = {
    "en": [
        "",
        "Overall a solid week.",
        "Stable enough for my daily phone.",
        "Thanks team, see you next Friday.",
        "Had one random reboot on Saturday, otherwise fine.",
        "Logs for the issue above are in the Feedback app.",
    ],
    "zh": ["", "整体不错。", "日用没问题。", "辛苦了，下周五见。"],
}

# --------------------------------------------------------------------------------------------
# Replies. Generic ones fit any post of the kind; "{device}" and "{build}" are filled in.
# --------------------------------------------------------------------------------------------

FAN_REPLIES = {
    ("en", IDEA): [
        "+1, I'd use this every day.",
        "Yes please! This is the one thing I miss from my old phone.",
        "Voted. Even better if it could be set per app.",
        "Came here to post exactly this. Voted instead.",
        "Agree 100%.",
        "I asked for this on the old forum two years ago 😅 Voted again.",
        "Simple and useful. Hope a team picks it up on Monday.",
        "Please make it optional, though. Not everyone will want it.",
        "Not sure about this one: wouldn't it make the settings even longer? Still, voted.",
        "As long as it doesn't cost battery, I'm in.",
        "**Yes.** Please.",
        "Voted. Small thing, big difference.",
        "Is there a workaround until then? ADB, a hidden setting, anything?",
        "We have 40 Xiaomi phones at the office and everyone would love this.",
        "Other brands have had this for a while. Time to catch up!",
        "Good idea, but I think it belongs in Settings rather than here.",
        "My partner asked me for exactly this last week.",
        "This would make me stop using a third-party app for it.",
        "Voted, and shared with my friends who use Xiaomi.",
        "I'd add: a quick tile to turn it on and off.",
    ],
    ("en", BUG): [
        "Same here on {device}, {build}.",
        "Can confirm on {device}. Started after the last update.",
        "Happens to me too ({device}). Clearing the app's cache helped for a day, then it "
        "came back.",
        "Not seeing this on {device} with {build}. Did you restore from a backup?",
        "Same. I sent logs through the Feedback app just now.",
        "+1, {device}. A reboot fixes it until the next time.",
        "Me too, every single day. Please fix before the stable release.",
        "Can't reproduce on my {device}. Which region ROM are you on?",
        "Workaround for now: turn it off and on again. Annoying, but it works.",
        "Had this on {build} too.",
        "Same on {device}. I'll try to get a screen recording tonight.",
        "Happens to my wife's {device} but not to mine. Same build.",
    ],
    ("en", TALK): [
        "Great thread, saving it.",
        "For me it's the opposite, but I see your point.",
        "Thanks for writing this up. Very helpful for newcomers.",
        "Honestly, it depends on what you use the phone for.",
        "Interesting question. I never thought about it.",
        "Same experience here.",
        "+1 to all of this.",
        "This is why I like this board.",
        "Good question. Following.",
        "Thanks, this is useful. Bookmarked.",
        "Agree with most of this, except the last point.",
        "Interesting, I'd never have guessed.",
    ],
    ("zh", IDEA): [
        "支持！",
        "同求这个功能",
        "顶一下，希望下周能安排上",
        "这个建议很实用，已投票",
        "希望做成可选项，不要默认开启",
        "去年就提过了，再顶一次",
        "好建议，期待官方回复",
        "+1，每天都会用到",
    ],
    ("zh", BUG): [
        "同样的问题，{device}，{build}",
        "我也遇到了，已经通过服务与反馈提交日志",
        "重启之后会好一阵，然后又出现",
        "我这边没有复现，{device}",
        "+1，升级到{build}之后开始的",
        "一样，希望尽快修复",
    ],
    ("zh", TALK): [
        "学到了，谢谢分享",
        "说得很对",
        "收藏了",
        "同意楼主的看法",
        "我一般都用稳定版，开发版太折腾了",
        "好帖，顶一下",
    ],
}

AUTHOR_REPLIES = {
    "en": [
        "Thanks for the votes, everyone!",
        "Good point, I hadn't thought about that.",
        "Exactly what I meant.",
        "Thanks, glad it's not just me.",
    ],
    "zh": ["谢谢支持！", "对，就是这个意思", "谢谢，原来不止我一个"],
}

# Under a four-grid report ("{build}": the build the commenter runs).
REPORT_REPLIES = {
    "en": [
        "Same experience with {build} here.",
        "Agree on the first two. Stability 8/10 for me too.",
        "Interesting, I had the opposite: no problems at all on my {device}.",
        "Thanks for filing this. More people should do the four-grid every week.",
        "The least-effective one is the same for me. Hope it's fixed next Friday.",
    ],
    "zh": [
        "同感，{build}在我的{device}上也一样",
        "稳定性我也打8分",
        "谢谢分享，我这边没有遇到问题",
    ],
}

# What an engineer writes when a post changes status ("{build}": the build it concerns).
ENGINEER_REPLIES = {
    ("en", "under_review"): [
        "Thanks, we're looking at this with the team this week. No promises yet, but keep "
        "the votes coming.",
        "Interesting one. We'll discuss it at Monday's planning.",
    ],
    ("en", "planned"): [
        "This is planned. We've claimed it for an upcoming build and will post here when it ships.",
        "Planned! Thanks for the clear write-up, it made this an easy decision.",
    ],
    ("en", "in_progress"): [
        "We're working on this now. If all goes well it will be in {build}.",
        "In progress. Internal testers have it already; developer builds should follow soon.",
    ],
    ("en", "shipped"): [
        "Shipped in {build}. Thank you for the idea; you're in the release notes!",
        "This is in {build}. Please update and tell us how it works for you.",
    ],
    ("en", "declined"): [
        "Thanks for the suggestion. After discussing it we decided not to do this for now: "
        "it would add a setting most fans never touch. If the votes say otherwise we'll "
        "look again.",
        "We won't do this one, sorry. It conflicts with how Android handles this for all "
        "apps, and we'd rather not break other apps to get it.",
    ],
    # Done during the week, in the coming Friday's build.
    ("en", "coming"): [
        "Done! This is in the next developer build, {build}. Thank you for the idea.",
        "Finished and merged; it ships in {build} on Friday at 17:00.",
    ],
    # A team claimed it, then gave it back to the plan.
    ("en", "released"): [
        "We started on this, but it needs design work before we build it. It stays planned; "
        "a team will pick it up again soon.",
    ],
    ("zh", "under_review"): ["收到，本周会和团队评估一下，感谢建议。"],
    ("zh", "planned"): ["已经排进计划了，发布后会在这里回复。"],
    ("zh", "in_progress"): ["正在开发中，顺利的话会在 {build} 上线。"],
    ("zh", "shipped"): ["已在 {build} 上线，感谢建议！更新日志里有你的名字。"],
    ("zh", "declined"): ["感谢建议。评估后暂时不做这个功能，如果投票变多我们会重新考虑。"],
    ("zh", "coming"): ["已经完成，会在下一个开发版 {build} 上线，感谢建议！"],
    ("zh", "released"): ["我们开始做了，但还需要先完成设计。它仍在计划中，团队很快会再接手。"],
}

ENGINEER_BUG_REPLIES = {
    ("en", "under_review"): [
        "Thanks for the report. We can reproduce it on one of our test phones and are "
        "looking into it.",
    ],
    ("en", "in_progress"): [
        "Found the cause, the fix is in testing. It should be in {build}.",
        "Thanks everyone for the logs, they made this much easier. Fix in progress.",
    ],
    ("en", "shipped"): [
        "Fixed in {build}. Please update and tell us if you still see it.",
        "This should be fixed in {build}. Thanks for the detailed report!",
    ],
    ("en", "declined"): [
        "We couldn't reproduce this on any of our test phones and nobody else has reported "
        "it since. Closing for now; if it comes back, please reply here with logs.",
    ],
    ("en", "open"): [
        "Thanks for the report. Could you send logs (Services & feedback → Bug → attach "
        "logs) and reply here with the feedback ID?",
        "Does this still happen after a restart in safe mode? That tells us whether another "
        "app is involved.",
    ],
    ("en", "coming"): [
        "Fixed; the fix is in the next developer build, {build}. Please check after updating.",
    ],
    ("en", "released"): [
        "We need more logs before we can fix this one; back to the plan for now. If it happens "
        "to you, please attach logs and reply with the feedback ID.",
    ],
    ("zh", "under_review"): ["收到，我们在测试机上复现了，正在排查。"],
    ("zh", "in_progress"): ["已经找到原因，修复中，预计 {build} 解决。"],
    ("zh", "shipped"): ["已在 {build} 修复，请更新后再试试。"],
    ("zh", "coming"): ["已修复，会在下一个开发版 {build} 中发布。"],
    ("zh", "released"): ["还需要更多日志才能修复，暂时放回计划中。"],
    ("zh", "declined"): ["我们暂时没能复现，如果还有问题请回复并附上日志。"],
    ("zh", "open"): ['感谢反馈，麻烦通过"服务与反馈"提交一下日志，并把反馈ID回复在这里。'],
}

ENGINEER_IDEA_NOTES = {
    "en": [
        "Noted, thanks! We read every post, even when we don't answer.",
        "Good one. Which phone are you on? It matters for how we'd build it.",
    ],
    "zh": ["收到，感谢建议！"],
}

MODERATOR_REPLIES = {
    "en": [
        "Reminder: please add your build and device to bug reports; the form has fields for "
        "both. Thanks!",
        "Let's keep it friendly, everyone. Disagreeing is fine, insults are not.",
        "Good thread. I've added a tag so it's easier to find.",
    ],
    "zh": ["提醒：反馈问题时请填写版本号和机型，谢谢！", "大家友好讨论哦。"],
}

# The engineers' words above the generated notes of some builds.
BUILD_INTROS = [
    "Thank you to everyone who voted this week: every line below started as a post on this board.",
    "A smaller build this week; most of our time went into stability. Please file your "
    "four-grid report by Tuesday night.",
    "Please update, try the changes and tell us in your four-grid report which one you "
    "loved and which one fell short.",
    "本周更新感谢大家的投票和反馈，下面每一条都来自论坛里的帖子。",
]

# Fans under a weekly release announcement.
ANNOUNCEMENT_REPLIES = {
    "en": [
        "Updated. Thanks for listening to us!",
        "Downloading now. Friday 17:00 is my favourite time of the week.",
        "My idea is in the changelog! Thank you, team.",
        "Installed on my {device}, everything looks good so far.",
        "Anyone else's update stuck at 99%? Restarting fixed it for me.",
    ],
    "zh": [
        "已更新，感谢开发组！",
        "每周五下午五点准时刷机。",
        "更新日志里看到了自己的建议，太开心了！",
        "{device} 已更新，目前一切正常。",
    ],
}

# Today's conversation under the journalists' best-known post, so that the demo's bells have
# news (load_demo.add_conversation): a mention of the author and of li_jizhe, her reply.
CONVERSATION_POST = "Mute the phone automatically while recording"
CONVERSATION_TODAY = (
    Said(
        "priya_newsdesk",
        "@hannah_reports it works: my phone stayed silent through a whole council meeting. "
        "@li_jizhe 你试过了吗？",
    ),
    Said("li_jizhe", "试过了，采访的时候再也没有响过。谢谢 @maya！", reply_to=0),
)
