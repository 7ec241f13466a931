"""The word lists behind the demo data: names as people write them, places, phone ranges, complaints.

Each name list is one string split on ``|`` so that a name with a space (María José, Thị Minh, Te Kanawa)
stays whole. Phone numbers come only from the ranges that Ofcom (UK) and ACMA (Australia) set aside for
drama and examples, and e-mail addresses use the reserved example domains (RFC 2606), so demo data can
never ring or mail a real person.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Culture:
    """Names of one naming tradition. ``family_female`` is used where family names change with sex."""

    key: str
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]
    family_female: tuple[str, ...] = ()
    family_first: bool = False  # written family name first on the person's own documents (Vietnamese)


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


CULTURES: tuple[Culture, ...] = (
    Culture(
        "english",
        _names("Zoë|Chloë|Olivia|Amelia|Charlotte|Emily|Ruby|Grace|Hannah|Isla|Freya|Poppy|Sophie|Kate"),
        _names("Oliver|James|Thomas|Harry|Jack|George|William|Noah|Liam|Samuel|Joshua|Daniel|Tom|Ben"),
        _names(
            "Smith|Jones|Williams|Taylor|Brown|Davies|Evans|Wilson|Thompson|Clarke|Hughes|Walker|Robinson|"
            "Wright|Green|Hall|Wood|Smith-Jones|Baker-Finch|Lloyd-Hughes|Ffrench"
        ),
    ),
    Culture(
        "irish",
        _names("Siobhán|Aoife|Niamh|Caoimhe|Saoirse|Róisín|Orla|Clodagh|Áine|Sinéad"),
        _names("Seán|Oisín|Ciarán|Pádraig|Eoin|Cian|Darragh|Cathal|Tadhg|Donncha"),
        _names(
            "O'Brien|O'Sullivan|Murphy|Kelly|McCarthy|Walsh|Byrne|O'Connor|Ó Súilleabháin|Mac Giolla Phádraig|"
            "Ní Bhriain|Fitzgerald"
        ),
    ),
    Culture(
        "scandinavian",
        _names("Ingrid|Astrid|Sigrid|Solveig|Åsa|Liv|Maja|Frida|Karin|Ragnhild"),
        _names("Magnus|Bjørn|Søren|Lars|Kjetil|Håkon|Erik|Anders|Øystein|Nils"),
        _names(
            "Ødegård|Johansson|Andersen|Lindqvist|Bjørnstad|Håkansson|Nilsen|Sørensen|Ågren|Lindström|Kristiansen|Æsøy"
        ),
    ),
    Culture(
        "maori",
        _names("Aroha|Mereana|Ngaio|Kiri|Anahera|Hine|Mārama|Tui|Waimarie|Ataahua"),
        _names("Tāne|Wiremu|Hēmi|Rāwiri|Manaia|Nikau|Tama|Rangi|Mikaere|Tamati"),
        _names("Ngata|Parata|Te Whare|Te Kanawa|Horomona|Tamihana|Wihongi|Walker|Pōmare|Te Rangi"),
    ),
    Culture(
        "arabic",
        _names("Fatima|Aisha|Layla|Mariam|Noor|Yasmin|Huda|Salma|Rania|Zainab"),
        _names("Omar|Youssef|Khalid|Ahmed|Hassan|Karim|Tariq|Ibrahim|Mustafa|Bilal"),
        _names("Al-Rashid|El-Sayed|Haddad|Khoury|Mansour|Abdullah|Saleh|Nasser|Al-Farsi|Ben Youssef|Abu-Bakr"),
    ),
    Culture(
        "chinese",
        _names("Jing|Mei|Yan|Ling|Xiaoling|Zihan|Yuqi|Hui|Xin|Ying"),
        _names("Wei|Hao|Jun|Xiaoming|Yiming|Zhiwei|Lei|Tao|Jian|Bo"),
        _names("Wang|Li|Zhang|Chen|Liu|Huang|Zhou|Wu|Xu|Lin|Ng|Chan|Wong"),
    ),
    Culture(
        "indian",
        _names("Priya|Ananya|Deepika|Kavya|Lakshmi|Sneha|Aishwarya|Harpreet|Meera|Divya"),
        _names("Aarav|Rohan|Arjun|Vikram|Sanjay|Rahul|Gurpreet|Karthik|Aditya|Suresh"),
        _names("Patel|Sharma|Singh|Gupta|Iyer|Reddy|Nair|Kaur|Menon|Chatterjee|Mukherjee|Desai"),
    ),
    Culture(
        "nigerian",
        _names("Ngozi|Funmilayo|Chiamaka|Yetunde|Ifeoma|Adaeze|Folake|Amaka|Temitope|Bukola"),
        _names("Chinedu|Oluwaseun|Adebayo|Emeka|Tunde|Obinna|Olumide|Chukwuemeka|Babatunde|Ikenna"),
        _names("Okafor|Adeyemi|Okonkwo|Balogun|Eze|Nwosu|Ogunleye|Obi|Afolabi|Adewale-Okonkwo|Olawale"),
    ),
    Culture(
        "polish",
        _names("Agnieszka|Małgorzata|Katarzyna|Zofia|Joanna|Magdalena|Ewa|Anna|Aleksandra|Beata"),
        _names("Łukasz|Wojciech|Paweł|Michał|Grzegorz|Piotr|Krzysztof|Tomasz|Jakub|Marek"),
        _names("Kowalski|Wiśniewski|Nowak|Lewandowski|Wójcik|Kamiński|Zieliński|Szymański|Woźniak|Dąbrowski"),
        _names("Kowalska|Wiśniewska|Nowak|Lewandowska|Wójcik|Kamińska|Zielińska|Szymańska|Woźniak|Dąbrowska"),
    ),
    Culture(
        "greek",
        _names("Eleni|Maria|Dimitra|Sofia|Katerina|Georgia|Athina|Vasiliki|Ioanna|Despina"),
        _names("Konstantinos|Georgios|Nikolaos|Ioannis|Christos|Dimitrios|Vasilis|Panagiotis|Stavros|Alexandros"),
        _names("Papadopoulos|Georgiou|Nikolaidis|Konstantinidis|Pappas|Antonopoulos|Oikonomou|Vlachos"),
        _names("Papadopoulou|Georgiou|Nikolaidou|Konstantinidou|Pappa|Antonopoulou|Oikonomou|Vlachou"),
    ),
    Culture(
        "spanish",
        _names("María José|Lucía|Sofía|Carmen|Inés|Marta|Elena|Paula|Ana Belén|Nuria"),
        _names("José Luis|Alejandro|Javier|Pablo|Íñigo|Sergio|Álvaro|Jesús|Diego|Andrés"),
        _names(
            "García López|Fernández|Martínez-Ruiz|Rodríguez|Sánchez|Pérez Gómez|Muñoz|Núñez|Jiménez|"
            "Ortega Peña|Iglesias"
        ),
    ),
    Culture(
        "vietnamese",
        _names("Thị Minh|Thị Lan|Thị Hương|Thu Trang|Ngọc Lan|Minh Anh|Thị Hoa|Bảo Ngọc|Thị Thu|Phương Linh"),
        _names("Văn An|Văn Hùng|Quang Huy|Đức Anh|Minh Tuấn|Văn Nam|Hoàng Long|Thành Công|Văn Đức|Gia Bảo"),
        _names("Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Võ|Đặng|Bùi|Đỗ"),
        family_first=True,
    ),
    Culture(
        "japanese",
        _names("Haruka|Yuki|Aoi|Sakura|Yui|Hina|Mio|Rin|Akari|Emi"),
        _names("Takumi|Haruto|Sōta|Ren|Kenji|Hiroshi|Daiki|Yūto|Kaito|Shō"),
        _names("Satō|Suzuki|Takahashi|Tanaka|Itō|Watanabe|Yamamoto|Nakamura|Kobayashi|Katō"),
    ),
    Culture(
        "korean",
        _names("Ji-woo|Seo-yeon|Min-ji|Ha-eun|Soo-ah|Ye-jin|Da-eun|Eun-ji|Hye-jin|Yoon-seo"),
        _names("Min-jun|Seo-jun|Ji-ho|Do-yun|Hyun-woo|Jae-won|Sung-min|Dong-hyun|Joon-ho|Tae-yang"),
        _names("Kim|Lee|Park|Choi|Jung|Kang|Cho|Yoon|Jang|Lim"),
    ),
)

# People who use one name only (common in Indonesia, parts of South India, Myanmar, Mongolia).
SINGLE_NAMES_FEMALE = _names("Sukarni|Suharti|Lakshmi|Sundari|Oyunchimeg|Aye|Megawati|Kalaivani")
SINGLE_NAMES_MALE = _names("Wiranto|Karthikeyan|Suparman|Boediono|Batbayar|Murugan|Sutrisno|Selvaraj")

# What friends call the person; the clinic greets them by it.
NICKNAMES = {
    "Katarzyna": "Kasia", "Małgorzata": "Gosia", "Aleksandra": "Ola", "Wojciech": "Wojtek",
    "Konstantinos": "Kostas", "Georgios": "Giorgos", "Nikolaos": "Nikos", "Ioannis": "Yannis",
    "Alejandro": "Álex", "José Luis": "Pepe", "Thomas": "Tom", "Charlotte": "Charlie", "Samuel": "Sam",
    "Pádraig": "Paddy", "Oluwaseun": "Seun", "Funmilayo": "Funmi", "Chukwuemeka": "Emeka",
    "Babatunde": "Tunde", "Thị Minh": "Minh", "Thị Lan": "Lan", "Văn An": "An", "Văn Hùng": "Hùng",
    "Temitope": "Tope", "Alexandros": "Alex", "Dimitrios": "Jim", "Mikaere": "Mike", "Wiremu": "Wiri",
}  # fmt: skip
# Chosen names that some people of Chinese and Korean heritage use alongside their given name.
ADOPTED_NAMES_FEMALE = _names("Grace|Vivian|Cindy|Joanne|Amy|Helen|Christine|Jenny")
ADOPTED_NAMES_MALE = _names("David|Kevin|Michael|Eric|Jason|Vincent|Andrew|Sam")

# Where each country's patients come from (weights by culture key).
UK_CULTURE_WEIGHTS = {
    "english": 40, "irish": 8, "scandinavian": 3, "maori": 1, "arabic": 6, "chinese": 5, "indian": 10,
    "nigerian": 7, "polish": 7, "greek": 3, "spanish": 4, "vietnamese": 2, "japanese": 2, "korean": 2,
}  # fmt: skip
AU_CULTURE_WEIGHTS = {
    "english": 35, "irish": 6, "scandinavian": 2, "maori": 6, "arabic": 5, "chinese": 10, "indian": 9,
    "nigerian": 2, "polish": 2, "greek": 7, "spanish": 3, "vietnamese": 8, "japanese": 3, "korean": 4,
}  # fmt: skip

STREETS = _names(
    "High Street|Station Road|Church Lane|Victoria Road|Park Avenue|Mill Lane|King Street|Queen's Road|"
    "Meadow Close|Orchard Way|George Street|Beach Road|Eucalypt Drive|Wattle Grove|Railway Parade|"
    "Bridge Street|St John's Terrace|Harbour View|Marathon Way|Parkside Crescent"
)
# (town, postcode area, the first 8 digits of a landline in Ofcom's drama range for that area) for the UK;
# the rest of the postcode and the last 3 digits are generated. 01632 960 has no real area.
UK_TOWNS = (
    ("Leeds", "LS6", "0113 496 0"), ("Manchester", "M20", "0161 496 0"), ("Bristol", "BS7", "0117 496 0"),
    ("Edinburgh", "EH10", "0131 496 0"), ("Cardiff", "CF14", "029 2018 0"), ("Belfast", "BT9", "028 9018 0"),
    ("Brighton", "BN1", "01632 960"), ("Sheffield", "S11", "0114 496 0"), ("Glasgow", "G12", "0141 496 0"),
    ("London", "SE22", "020 7946 0"), ("London", "N16", "020 7946 0"), ("York", "YO10", "01632 960"),
    ("Norwich", "NR2", "01632 960"), ("Exeter", "EX4", "01632 960"), ("Birmingham", "B13", "0121 496 0"),
)  # fmt: skip
UK_MOBILE_PREFIX = "07700 900"  # Ofcom's drama range: 07700 900000 to 07700 900999
# (suburb, state, postcode, area code) for Australia.
AU_SUBURBS = (
    ("Fitzroy", "VIC", "3065", "03"), ("Brunswick", "VIC", "3056", "03"), ("Newtown", "NSW", "2042", "02"),
    ("Bondi", "NSW", "2026", "02"), ("Paddington", "QLD", "4064", "07"), ("West End", "QLD", "4101", "07"),
    ("Fremantle", "WA", "6160", "08"), ("Glenelg", "SA", "5045", "08"), ("Sandy Bay", "TAS", "7005", "03"),
    ("Braddon", "ACT", "2612", "02"), ("Parap", "NT", "0820", "08"),
)  # fmt: skip
# ACMA's numbers for creative works: landlines (0x) 5550 xxxx and (0x) 7010 xxxx, and these mobiles.
AU_LANDLINE_EXCHANGES = ("5550", "7010")
AU_MOBILES = _names(
    "0491 570 006|0491 570 156|0491 570 157|0491 570 158|0491 570 159|0491 570 110|0491 570 313|0491 570 737|"
    "0491 571 266|0491 571 491|0491 571 804|0491 572 549|0491 572 665|0491 572 983|0491 573 770|0491 573 087|"
    "0491 574 118|0491 574 632|0491 575 254|0491 575 789|0491 576 398|0491 576 801|0491 577 426|0491 577 644|"
    "0491 578 957|0491 578 148|0491 578 888|0491 579 212|0491 579 760|0491 579 455"
)
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses in the inward code

PRACTICE_KINDS = _names(
    "Medical Practice|Health Centre|Surgery|Family Practice|Medical Centre|General Practice|Group Practice"
)
RELATIONSHIPS = _names("Partner|Wife|Husband|Mother|Father|Sister|Brother|Daughter|Son|Friend|Flatmate|Club coach")
EMAIL_DOMAINS = _names("example.com|example.org|example.net")

# Episodes: the calf presentations a running physiotherapist sees, most common first.
CALF_STRUCTURES = _names(
    "medial gastrocnemius strain|medial gastrocnemius strain|soleus strain|soleus strain|"
    "lateral gastrocnemius strain|grade II medial gastrocnemius tear|musculotendinous junction strain "
    "(medial gastrocnemius)|soleus tightness and cramping|plantaris strain|deep posterior calf pain"
)
CALF_ONSETS = _names(
    "sudden onset at 10 km parkrun|sudden onset during hill repeats|felt a 'pop' pushing off on the "
    "track|gradual onset over 3 weeks of marathon build-up|after increasing weekly mileage from 30 to "
    "50 km|at 32 km of a marathon|during 400 m track intervals|after switching to minimal shoes|on a "
    "steep trail descent|recurrent, third episode this season|while sprinting for the finish line|after "
    "a long run on cambered roads"
)
# Presentations worth keeping in a demo because the app must treat them differently (CLINICAL.md):
# (text after the side, both calves?, referred on the day?)
CALF_SPECIAL = (
    ("exertional calf tightness resolving with rest, ? chronic exertional compartment syndrome", True, False),
    ("calf swelling and tenderness after a long-haul flight, ? DVT, referred same day", False, True),
    ("posterior calf pain with pins and needles, ? referred from L5/S1", False, False),
    ("exertional calf pain and a cold foot, ? popliteal artery entrapment", False, True),
    ("Achilles-soleus junction pain, morning stiffness, worse on hills", False, False),
)
