"""What kind of value a question asks for, and its key words.

The expected answer type decides which value the extractive answer looks for in a span
(a date for "when", an amount for "how much did … cost", a code for "booking reference")
and what an abstention says is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from memory.retrieval import query_words
from memory.time_expressions import MONTHS, WEEKDAYS


class AnswerType(Enum):
    DATE = "date"
    TIME = "time"
    MONEY = "money"
    QUANTITY = "quantity"
    PERSON = "person"
    PLACE = "place"
    IDENTIFIER = "identifier"
    ITEM = "item"  # a technical name: a file, a host, a job, a setting, an address
    COMMAND = "command"
    STEPS = "steps"
    YESNO = "yesno"
    DESCRIPTION = "description"

    @property
    def missing(self) -> str:
        """How an abstention names what was not found ("No date … in your memories")."""
        return {
            "date": "date", "time": "time", "money": "amount", "quantity": "number",
            "person": "name", "place": "place", "identifier": "such code or number",
            "item": "such name",
            "command": "command", "steps": "steps", "yesno": "answer",
            "description": "answer",
        }[self.value]


_IDENTIFIER_WORDS = (
    r"reference|ref|booking code|confirmation|code|number|no\.|id|pnr|tracking|iban|serial|"
    r"licen[cs]e plate|passport|pin|seat|gate|extension|postcode|zip|ip|ip address|"
    r"mac address|version|tag|port|commit|hash|sha|which release|which build|which ticket|"
    r"batch|which run|"
    # a numbered spot one is given, as a seat is: "Which desk …", "my locker", "the berth"
    r"desk|locker|berth|cabin|pitch|plot"
)
#: Things known by a technical name ("db-7", "docs/plan.pdf", "MIT-0", "a.b@c.example").
_ITEM_WORDS = (
    r"job|host|hostname|server|file|filename|folder|directory|service|check|licen[cs]e|"
    r"setting|option|flag|variable|e-?mail|branch|package|library|module|"
    r"repo|repository|image|container|database|table|column|field|domain|url|queue|topic|"
    r"bucket|namespace|cluster|pod|volume|endpoint|username|user name|handle|header|"
    r"parameter|param|runner|worker|node|instance|vm|stash|stash entry"
)
#: A waiting list or a queue, in the other question languages.
WAITING_LIST = (r"wachtlijst|wachtrij|warteliste|liste d['’]attente|file d['’]attente|"
                r"lista de espera|lista d['’]attesa|fila|kön?|kolejk\w*")
#: "How much" in German, Spanish, French, Italian, Portuguese, Dutch, Swedish, Danish,
#: Norwegian and Polish.
_HOW_MUCH = r"wie viel|cu[áa]nto|combien|quanto|hoeveel|hur mycket|hvor (?:meget|mye)|ile"
_FOREIGN_DATE = re.compile(r"^\W*(wann|cu[áa]ndo|quand|quando|wanneer|n[äa]r|hvorn[åa]r|"
                           r"kiedy)\b|\bseit wann\b|\b(?:da|desde|depuis) (?:quando|cu[áa]ndo|quand)\b|"
                           r"\bsinds wanneer\b|\bsedan n[äa]r\b|\bod kiedy\b|"
                           r"\b(entro|fino a|at[ée]) quando\b|\bbis wann\b|\btot wanneer\b|"
                           r"\bjusqu['’ ]?(?:à|a|au) quand\b|"
                           r"\bdo kiedy\b|\bqu[ée] (d[íi]a|fecha)\b|\bquel(le)? (jour|date)\b|"
                           # Italian "In che giorno …", "Quale data …", Portuguese "Qual dia"
                           r"\bche (giorno|data)\b|\bquale (giorno|data)\b|\bqual (dia|data)\b|"
                           # German "An welchem Tag …" (a day, no git tag), Czech and Slovak
                           # "kdy", "do kdy", "kedy", "kterého dne"
                           r"\bwelche[mnrs]? (tag|datum)\b|^\W*(kdy|kedy)\b|"
                           r"\b(?:do|od|dokedy|odkedy) (kdy|kedy)\b|\bkdy\b|\bkedy\b|"
                           r"\bkter(?:ý|ého|ém) (den|dne|dni|datum)\b|\bjak[éý] datum\b|"
                           # Dutch, Swedish, Danish/Norwegian and Polish "which day / date"
                           r"\bwelke (dag|datum)\b|\bvilke(n|t) (dag|datum)\b|"
                           r"\bhvilke(n|t) (dag|dato)\b|\b(kt[óo]rego|jakiego) dnia\b|"
                           r"\bw (kt[óo]ry|jaki) dzie[ńn]\b|"
                           # asked later in the sentence: "C'est quand, mon rendez-vous ?",
                           # "Weißt du noch, wann …", "¿Y eso cuándo era?"
                           r"\b(?:c['’]est|c['’][ée]tait|ce sera|est|sera|[ée]tait) quand\b|"
                           # (unaccented, "cuando" joins two clauses: "¿Cuánto me
                           # cobran cuando vaya …?" asks how much)
                           r"\bquand est-ce\b|\bwann\b|\bcuándo\b|"
                           r"いつ|何日|什么时候|哪天|几号|何曜日|언제|며칠", re.I)
#: The same question words in German, Spanish, French, Italian, Portuguese, Dutch, Swedish,
#: Danish, Norwegian, Polish, Japanese and Chinese: a question is classified in the language
#: it is asked in (the screens hold text in that language too).
_FOREIGN_RULES: list[tuple[AnswerType, re.Pattern[str]]] = [
    # a verb first asks whether ("Ist … dabei?", "Heeft …", "Finns det …", "Czy …")
    # (in French also a verb with its pronoun after it, "Dois-je …", "Faut-il …"; in
    # Spanish, Italian and Portuguese a verb of needing or being able, its "I" optional:
    # "Eu precisava pagar …?")
    (AnswerType.YESNO, re.compile(r"^\W*(?:ist|sind|hat|haben|gibt es|kann|muss|wird|darf|"
                                  r"bekomme|brauche|est-ce qu(?:e|['’])|y a-t-il|heeft|hebben|zijn|moet|"
                                  r"wordt|krijg|[äa]r|har|finns|ska|blir|m[åa]ste|f[åa]r|g[åa]r|"
                                  # "Kommer hantverkaren …", "Kommt der Techniker …", "Behöver
                                  # jag …", "Ingår frukost …", "Gäller …"
                                  r"kommer|kommt|komt|beh[öo]ver|ing[åa]r|g[äa]ller|hinner|"
                                  r"dras|czy|hay|est[áa]n?|c'[èe]|ci sono|h[áa]|"
                                  # Czech and Slovak: "Je …", "Mám …", "Můžu …", "Musím …"
                                  r"jsou|byl[aoiy]?|bude|budou|m[áa]m|m[áa]me|m[ůu][žz]u|mohu|"
                                  r"m[ôo][žz]em|mus[íi]m|mus[íi]me|sm[íi]m|plat[íi]|"
                                  r"[a-zà-ÿ]+-(?:je|tu|il|elle|on|nous|vous|ils|elles)|"
                                  r"(?:eu |yo |io )?(?:tengo|tenho|tinha|puedo|posso|podia|devo|"
                                  r"debo|necesito|necesitaba|preciso|precisava|precisa|serve|"
                                  r"bisogna))\b|"
                                  # Spanish, Italian and Portuguese ask whether with no
                                  # inversion, an object pronoun and its verb first ("¿Te
                                  # devolvieron …?", "Mi hanno rimborsato …?"), when no question
                                  # word follows
                                  r"^\W*(?:me|te|le|les|nos|mi|ti|ci|gli|lhe|lhes)\s+"
                                  r"[a-zà-ÿ]+\b(?![^?]*\b(?:qu[ée]|cu[áa]nd|cu[áa]nt|d[óo]nde|"
                                  r"qui[ée]n|cu[áa]l|cosa|quando|quanto|dove|chi|onde|quem|"
                                  r"qual|où|quand|combien|quel\w*|comment|pourquoi|qui|quoi)\b)|"
                                  # a topic first, then "est-ce que": "Chez X, est-ce que …"
                                  # (not "qu'est-ce que", "quand est-ce que": what, when)
                                  r"^[^?]*,\s*est-ce qu(?:e\b|['’])", re.I)),
    # a place in a queue, in the other question languages ("Op welke plek sta ik op de
    # wachtlijst?")
    (AnswerType.QUANTITY, re.compile(r"\b(?:plek|plaats|positie|platz|position|place|puesto|"
                                     r"posici[óo]n|posizione|posto|posi[çc][ãa]o|lugar|plats|"
                                     rf"miejsce)\b.*\b(?:{WAITING_LIST})\b", re.I)),
    # "how do I …" / "how does one …": the steps (not "cómo se llama", its name)
    (AnswerType.STEPS, re.compile(r"^\W*(?:wie (?:kann|könnte|soll|mache|macht|erstelle|"
                                  r"erstellt|starte|startet|baue|baut) (?:ich|man|wir)\b|"
                                  r"comment (?:faire|puis-je|peut-on|on|je|faut-il)\b|"
                                  r"(?:c[óo]mo|come) (?:se|si|puedo|posso|hago|fa[çc]o|faccio|"
                                  r"podemos|possiamo)\b(?! (?:llama|chama|chiama|dice|diz)\b)|"
                                  r"hoe (?:kan|moet|doe|maak|zet|krijg) (?:ik|je|we|men)\b|"
                                  r"hur (?:g[öo]r|kan|ska|f[åa]r) (?:jag|man|vi|du)\b|"
                                  r"hvordan (?:g[øo]r|kan|skal|f[åa]r) (?:jeg|man|vi|du)\b|"
                                  r"jak (?:mog[ęe]|mo[żz]na|zrobi[ćc]|ustawi[ćc])|"
                                  # what I have to do: "Co mam zrobić …", "Was muss ich tun …",
                                  # "Que dois-je faire …", "¿Qué tengo que hacer …"
                                  r"co (?:mam|musz[ęe]|trzeba|nale[żz]y|powinien\w*) (?:\w+ )?"
                                  r"zrobi[ćc]\b|was (?:muss|soll|kann) (?:ich|man|wir) (?:\w+ ){0,3}?"
                                  r"(?:tun|machen)\b|que (?:dois-je|faut-il|dois je) faire\b|"
                                  r"qu['’]est-ce (?:que|qu['’]) ?(?:je dois|il faut|on doit) faire\b|"
                                  r"qu[ée] (?:tengo|tenemos|debo|hay) (?:que )?hacer\b|"
                                  r"(?:che )?cosa (?:devo|dobbiamo|bisogna) fare\b|"
                                  r"o que (?:eu )?(?:tenho|preciso|devo) (?:de |que )?fazer\b|"
                                  r"wat (?:moet|kan) (?:ik|je|we|men) doen\b|"
                                  r"vad (?:ska|m[åa]ste|b[öo]r) (?:jag|vi|man) g[öo]ra\b)",
                                  re.I)),
    (AnswerType.TIME, re.compile(r"\bum wie viel uhr\b|\bwie sp[äa]t\b|\bqu[ée] hora\b|"
                                 r"\bquelle heure\b|\ba che ora\b|\bque horas\b|\bhoe laat\b|"
                                 r"\bhur dags\b|\bvilken tid\b|\bhvad tid\b|\bhva tid\b|"
                                 r"\bhvilket tidspunkt\b|\bo (kt[óo]rej|jakiej)( godzinie)?\b|"
                                 r"\bdo kt[óo]rej( godziny)?\b|"
                                 r"\bw jakich godzinach\b|\bkt[óo]ra godzina\b|何時|几点|幾時|"
                                 r"\bna (kt[óo]r[ąa]|jak[ąa]) godzin[ęe]\b|"
                                 # Czech and Slovak "v kolik (hodin)", "do kolika", "o koľkej"
                                 r"\b(?:v|ve|do|od) kolik[ai]?(?: hodin)?\b|\bo ko[lľ]kej\b|"
                                 r"\bkolik je hodin\b|"
                                 # a window of hours: "Welches Zeitfenster hat …", "Vilka tider
                                 # gäller …", "Dans quel créneau …"
                                 r"\bzeit(?:raum|fenster)\b|\bvilka tider\b|\bcr[ée]neau\b|"
                                 r"\bfranja horaria\b|\bfascia oraria\b|\btijd(?:vak|slot)\b|"
                                 r"\bjanela de hor[áa]rio\b|"
                                 r"몇\s?시",
                                 re.I)),
    (AnswerType.DATE, _FOREIGN_DATE),
    # paying and refunding are in money: "Wie viel erstattet …", "combien rembourse …"
    (AnswerType.MONEY, re.compile(r"\bwie viel geld\b|\bcombien d'argent\b|\bcu[áa]nto dinero\b|"
                                  r"\bquant[oi] (?:denaro|soldi)\b|\bquanto dinheiro\b|"
                                  r"\bhoeveel geld\b|\bhur mycket pengar\b|\bile pieni[ęe]dzy\b|"
                                  r"\bwie (hoch|teuer)\b|\bwas kostet\b|\bgekostet\b|\bwie viel (kostet|"
                                  r"hat|haben|betr[äa]gt|erstatt|zahl|bezahl|[üu]berweis)|"
                                  r"\bcu[áa]nto (cost|cuest|vale|pag|es|reembols|devuelv|cobr|pid)|"
                                  r"\bcombien (co[ûu]t|pay|vaut|fait|rembours|demand|factur|"
                                  r"prenn)|\bprix\b|\bprecio\b|"
                                  r"\bquanto (costa|costano|custa|custou|pago|pag|rimbors|reembols|"
                                  r"chied|prend|cobr|fattur|addebit|"
                                  r"som|total|ammont)|\bcu[áa]nto (sum|total)|"
                                  r"\bpreis\b|\bbetrag\b|\bimporte\b|\bmontant\b|いくら|"
                                  r"\bwat kost\b|\bhoe duur\b|\bvad kostar\b|\bhvad koster\b|"
                                  r"\bhva koster\b|\bprijs\b|\bbedrag\b|\bbelopp\b|"
                                  r"\bile kosztuj\w*|\bjaka (jest )?cena\b|\bkwot\w*|"
                                  # "wie viel … gekostet", "cuánto tengo que pagar", "combien
                                  # dois-je payer": a how-much with a verb of paying later on
                                  rf"\b(?:{_HOW_MUCH})\b[^?]*\b(?:gekostet|"
                                  r"kostet|bezahlt|gezahlt|zahlen|pag[aoueé]\w*|cobr\w*|cuest\w*|"
                                  r"pay\w*|co[uû]t\w*|cost\w*|spes\w*|custa\w*|kost\w*|"
                                  r"betal\w*|zap[łl]a\w*|p[łl]ac\w*|koszt\w*|rembours\w*|"
                                  r"erstatt\w*|reembols\w*|rimbors\w*|vergoed\w*|"
                                  # taken from the account: "afschrijven", "abbuchen",
                                  # "prélever", "addebitare", "dra"
                                  r"afschrij\w*|afgeschreven|abbuch\w*|abgebucht\w*|"
                                  r"pr[ée]l[eè]v\w*|addebit\w*|dras|drogs|"
                                  # paying in: Italian "versare", French "verser"
                                  r"vers(?:a|are|ato|ata|iamo|o|er|[ée]\w*)|"
                                  # settling a bill: French "régler", German "begleichen",
                                  # Spanish, Portuguese and Italian "saldar(e)"
                                  r"r[ée]gl\w*|begleich\w*|beglich\w*|sald[aeoi]\w*|"
                                  r"ers[äa]tt\w*)\b|"
                                  # Czech and Slovak "kolik … zaplatit / stojí / naúčtovali"
                                  r"\b(?:kolik|ko[lľ]ko)\b[^?]*\b(?:plat\w*|zaplat\w*|st[áa]l\w*|"
                                  r"st[áa]t|stoj[íi]\w*|na[úu][čc]tov\w*|[úu][čc]tov\w*|poplat\w*|"
                                  # (what a card was charged: "strhli z karty")
                                  r"vr[áa]t\w*|strh\w*|str[žz]en\w*|z karty)\b|"
                                  # "Was wird der Umzug am Ende kosten?"
                                  r"\bwas (?:soll|wird|w[üu]rde|muss|m[üu]sste)\b[^?]*\bkosten\b|"
                                  # a how-much with a fee, a fine or a rent ("C'était combien,
                                  # l'amende …", "¿Cuánto le pasé … por el alquiler …")
                                  rf"^(?=[^?]*\b(?:{_HOW_MUCH}|kolik|ko[lľ]ko)\b)"
                                  r"(?=[^?]*\b(?:amendes?|multas?|boetes?|geb[üu]hr\w*|avgift\w*|"
                                  r"op[łl]at\w*|frais|tasas?|tass[ae]|taxas?|cuotas?|quota|"
                                  r"mieten?|loyers?|alquiler\w*|affitt\w*|aluguel|aluguer|huur|"
                                  r"hyr[an]|czynsz\w*|n[áa]jem\w*|n[áa]jomn\w*|"
                                  # a sum or a deposit: "combien, la somme bloquée …"
                                  r"sommes?|summen?|sumas?|somas?|somm[ae]|cautions?|kautions?|"
                                  r"fianzas?|cauzion[ei]|cau[çc][ãa]o|borgsom|waarborg\w*)\b)|"
                                  # a how-much with a pronoun and a verb, no measure:
                                  # "¿Cuánto le pasé …?", "Quanto gli devo …?"
                                  r"\b(?:cu[áa]nto|quanto)\s+(?:le|les|me|te|nos|os|se|gli|mi|ti|"
                                  r"ci|vi|lhe|lhes)\s+(?!\w*(?:dur|tard|pes|mid|falt|qued|rest|"
                                  r"manc|demor|lev))\w+|"
                                  r"多少钱|金額|料金|价格|얼마", re.I)),
    (AnswerType.IDENTIFIER, re.compile(r"nummer\b|\bn[úu]mero\b|\bnum[ée]ro\b|\bcode\b|"
                                       # a German compound: "Buchungscode", "Zugangscode"
                                       r"\b\w{3,}s?code\b|"
                                       r"\bnumm?er(et|n)?\b|\bkod(en)?\b|\bnumerem\b|"
                                       r"\bc[óo]di(go|ce)\b|\bsigla\b|\br[ée]f[ée]r[eêé]n[cz]|"
                                       r"\b[čc][íi]sl[oaue]\b|\bk[óo]d\b|"
                                       r"\bquelle (place|voiture)\b|番号|编号|号码|単号|单号|번호|"
                                       # a train's car, asked which: "In welchem Wagen …",
                                       # "W którym wagonie …", "In che carrozza …"
                                       r"\b(?:which|welche[mnrs]?|któr\w+|che|qu[ée]|que|"
                                       r"welk\w*|vilken|vilket)\s+(?:wagen|wagon\w*|carriage|"
                                       r"carrozza|coche|vag[ãa]o|vag[óo]n|vagone|rijtuig|"
                                       r"vagn(?:en)?)\b|"
                                       # "Qual è il ticket del rimborso …", "Welches Ticket …"
                                       r"^\W*(qual[e]?|quel(le)?|welche[rs]?|cu[áa]l)\b"
                                       r"[^?]{0,12}\bticket\b",
                                       re.I)),
    (AnswerType.QUANTITY, re.compile(r"\bwie (viele?|lange|gro[ßs]|alt|weit|oft)\b|"
                                     r"\bhoeveel\b|\bhoe (lang|groot|oud|ver|vaak)\b|"
                                     r"\bhur (m[åa]nga|mycket|l[åa]ng|l[äa]nge|stor|gammal|"
                                     r"l[åa]ngt|ofta)\b|\bhvor (mange|meget|mye|lang|l[æa]nge|"
                                     r"lenge|stor|gammel)\b|\bile\b|\bjak (d[łl]ugo|du[żz]\w*|"
                                     r"daleko|cz[ęe]sto)\b|"
                                     r"\bcu[áa]nt[oa]s?\b|\bquant[oa]s?\b|\bquant[ie]\b|"
                                     r"\bkolik\b|\bko[lľ]ko\b|"
                                     r"\bcombien\b|\bquelle est la "
                                     r"(population|taille|dur[ée]e)\b|いくつ|何人|何個|多少|多久|"
                                     r"几个|몇", re.I)),
    # ("Met wie …", "Z kim …", "Med vem …": with whom)
    # (and whose: "I vems namn …", "Auf wessen Namen …", "Op wiens naam …")
    (AnswerType.PERSON, re.compile(r"^\W*(?:(?:met|aan|van|bij|voor|med|till|f[öo]r|hos|z|u|"
                                   r"dla|od|do|s|se|i|auf|op|na)\s+)?(wer|wem|wen|qui[ée]n(es)?|"
                                   r"qui|chi|quem|wie|vem|vems|hvem|hvems|kto|kim|komu|kogo|kdo|"
                                   r"koho|k[ýy]m|wessen|wiens|czyj\w*)\b|"
                                   # "a nombre de quién", "em nome de quem", "au nom de qui"
                                   r"\bno(?:mbre|me|m) d[ei] (?:qui[ée]n|quem|qui|chi)\b|"
                                   # "what is … called": "Comment s'appelle le dentiste …"
                                   r"\bcomment s['’]appell?e(?:nt)?\b|\bc[óo]mo se llama\w*\b|"
                                   r"\bcomo se chama\w*\b|\bcome si chiama\w*\b|"
                                   r"\bwie hei(?:ß|ss)(?:t|en)\b|\bhoe he(?:et|ten)\b|"
                                   r"\bvad heter\b|\bhva(?:d)? hed(?:der|er)\b|\bhva heter\b|"
                                   r"\bjak si[ęe] nazywa\w*\b|\bjak se jmenuj\w*\b|"
                                   r"\bako sa vol[áa]\w*\b|누구|누가|"
                                   # later in the sentence: "Le loyer, il part chez qui ?",
                                   # "C'est qui, le technicien ?" (a bare "qui" is often "that")
                                   r"\b(?:chez|à|avec|par|pour|de|c['’]est|c['’][ée]tait) qui\b",
                                   re.I)),
    # "Welke tandarts …", "Welcher Arzt …", "Quel médecin …", "Który lekarz …": which
    # doctor, teacher or technician asks a person
    (AnswerType.PERSON, re.compile(r"\b(?:welke|welk|welche[mnrs]?|quel(?:le)?|qu[ée]|qual(?:e)?|"
                                   r"vilken|vilket|hvilken|kt[óo]r[ya]|kter[ýá]|ktor[ýá])\s+"
                                   r"(?:\w*arts|\w*arzt|\w*[äa]rztin|dokter|doktor\w*|m[ée]dec\w*|"
                                   r"m[ée]dic[oa]|doutor\w*|dottor\w*|\w*l[äa]kare[nt]?|l[æa]ge[nr]?|"
                                   r"lekar\w*|l[ée]ka[řr]\w*|dentist\w*|veterin[äa]r\w*|"
                                   r"weterynarz\w*|docent\w*|leraar|lera(?:re|ar)s?|lehrer\w*|"
                                   r"professeur\w*|profes+or\w*|monteur|techniker\w*|"
                                   r"technicien\w*|t[ée]cnic[oa]|fysiotherapeut\w*|"
                                   r"kin[ée]\w*|contactpersoon|ansprechpartner\w*|"
                                   r"kontaktperson\w*)\b", re.I)),
    (AnswerType.PLACE, re.compile(r"^\W*(wo|wohin|woher|d[óo]nde|o[ùu]|dove|onde|waar|"
                                  r"waarheen|var|vart|varifr[åa]n|hvor|gdzie|dok[ąa]d|sk[ąa]d|"
                                  r"kde|kam|odkud|odkiaľ)\b|"
                                  # a where-word no other question word spells, later in the
                                  # question: "C'est où, le rendez-vous ?", "¿Y eso dónde era?"
                                  r"\b(?<!\bau cas )(?<!\bdu jour )(?:où|d[óo]nde|dove|onde|gdzie|kde)\b|"
                                  # Czech and Slovak "Na které poště …", "V jaké budově …":
                                  # in or at which thing, unless a time
                                  r"\b(?:na|v|ve)\s+(?:kter|ktor|jak)[éáýoa]\w*\s+"
                                  r"(?!(?:roce|roku|m[ěe]s[íi]ci|t[ýy]dnu|dni|den|dne|hodin[ěue]?)\b)\w|"
                                  r"\bwelke (kamer|zaal|stad|plek|plaats|locatie|verdieping)\b|"
                                  r"\bvilke(n|t) (rum|sal|stad|plats|lokal|v[åa]ning)\b|"
                                  r"\bw kt[óo]rym (pokoju|miejscu|mie[śs]cie|budynku)\b|"
                                  r"\bpod jakim adresem\b|\badress?\b|どこ|哪里|어디|"
                                  # "I vilket förråd …", "En qué vagón …", "In welke zaal":
                                  # in which thing, unless a time
                                  r"^\W*(?:i|in|im|en|dans|em|w|nel|nella)\s+(?:vilken|vilket|"
                                  r"welche[mnr]?|welke?|quel(?:le)?|qu[ée]|qual(?:e)?|kt[óo]r\w+)"
                                  r"\s+(?!(?:år|månad|vecka|jahr|monat|woche|jaar|maand|week|"
                                  r"ann[ée]e|mois|semaine|a[ñn]o|mes|semana|anno|mese|ano|rok|"
                                  r"miesi\w+|tygodni\w*)\b)\w|"
                                  r"哪儿|"
                                  # "In welchem Saal …", "Dans quelle salle …", "¿En qué sala …"
                                  r"\bwelche[mnrs]? (raum|saal|ort|stadt|halle|zimmer|geb[äa]ude|"
                                  r"etage|stock|gleis|bahnsteig|filiale|b[üu]cherei|bibliothek)\b|"
                                  r"\bquel(le)?s? (salle|pi[èe]ce|ville|lieu|endroit|b[âa]timent|"
                                  r"[ée]tage|quai|voie|agence|succursale|biblioth[èe]que|"
                                  r"pharmacie|magasin|antenne|porte|guichet|terminal)\b|"
                                  r"\bqu[ée] (sala|ciudad|lugar|"
                                  r"habitaci[óo]n|edificio|planta|and[ée]n|v[íi]a|sucursal|"
                                  r"biblioteca|farmacia|tienda|puerta|terminal|mostrador|"
                                  r"d[áa]rsena)\b|\bqual(e)? (sala|stanza|"
                                  r"citt[àa]|luogo|edificio|piano|cidade|lugar|andar|binario|"
                                  r"plataforma|filiale|agenzia|ag[êe]ncia|biblioteca|farm[áa]cia|"
                                  r"loja|negozio|box|port[ãa]o|guich[êe]|cais|terminal|doca)\b|"
                                  r"\bwelk(e)? (perron|spoor|filiaal|"
                                  r"bibliotheek|apotheek|winkel)\b|\bh?vilke(n|t) (sp[åa]r|perrong?|"
                                  r"bibliotek|apotek|butik|filial)\b|\bz kt[óo]rego (peronu|toru)\b|"
                                  r"\bw kt[óo]rej (aptece|bibliotece|filii|placówce)\b|"
                                  # an address asked for by name: "Wie lautet die Adresse …"
                                  r"\b(?:adresse|anschrift|endere[cç]o|indirizzo|"
                                  r"direcci[óo]n)\b", re.I)),
]
_RULES: list[tuple[AnswerType, re.Pattern[str]]] = [
    # (German "Was hat …", "Was ist …" asks what, not whether)
    (AnswerType.YESNO, re.compile(r"^\s*(is|are|was(?!\s+(?:hat|haben|ist|sind|kostet|kosten|"
                                  r"war|waren|wird|steht|muss|soll|kann|bedeutet|macht)\b)|were|"
                                  r"did|does|do|has|have|had|can|could|will|would|should|am)\b",
                                  re.I)),
    # the question's first word decides over the words it names later: "Who bumped the
    # version …" asks a person, "What turned out to be causing the wrong due date" a cause
    (AnswerType.PERSON, re.compile(r"^\W*(who|whom|whose)\b|^\W*which\s+(?:one\s+)?of\s+(?:us|you|"
                                   r"them|the two)\b|^\W*(which|what)\s+(doctor|dentist|"
                                   r"physician|surgeon|nurse|therapist|specialist|teacher|"
                                   r"instructor|trainer|coach|tutor|landlord|landlady|lawyer|"
                                   r"colleague|coworker|person|driver|courier|technician|"
                                   r"mechanic|vet|veterinarian|author|speaker|presenter|"
                                   r"reviewer|assignee|manager|advisor|adviser|agent|"
                                   r"recruiter|contact)s?\b"
                                   # not the one's number, address or office: "Which contact
                                   # number …", "What doctor's address …"
                                   r"(?![-'’]|\s+(?:number|phone|e-?mail|address|id|code|"
                                   r"office|details)\b)", re.I)),
    (AnswerType.DESCRIPTION, re.compile(r"^\W*why\b|^\W*(what|which)\b[^?]{0,30}?\b(caus(e|ed|"
                                        r"es|ing)|reasons?)\b|^\W*what\s+(?:was|is|were|are)"
                                        r"\s+(?:behind|at the root of)\b|"
                                        r"^\W*what\b[^?]*\bcomplain(?:ing|ed|s)?\s+about\b|"
                                        # "What was my last commit about?" asks what it says
                                        r"^\W*what(?:'s|’s|\s+(?:was|is|were|are))\s[^?]*"
                                        r"\babout\W*$", re.I)),
    # a place in a queue is a count: "Where am I in line for …", "which position"
    (AnswerType.QUANTITY, re.compile(r"^\W*where\s+(?:am|are|is|was|were)\s+\w+\s+(?:in|on)\s+(?:the\s+)?"
                                     r"(?:line|queue|waiting list)\b|\b(?:what|which)\s+"
                                     r"(?:position|place)\s+in\s+(?:the\s+)?(?:line|queue)\b",
                                     re.I)),
    (AnswerType.TIME, re.compile(r"\b(what|which) time\b|\bat what hour\b|\bwhat hour\b|"
                                 # "What's the earliest time I can check in", "the check-in time"
                                 r"\b(earliest|latest|start|starting|opening|closing|check-in|"
                                 r"check-out|pickup|pick-up|boarding|departure|arrival|"
                                 r"doors?|kick-?off|cut-?off) time\b|"
                                 # "What's the earliest the plumber might turn up on
                                 # Thursday?": the day is said, its hour is asked
                                 r"^\W*what(?:'s|’s|\s+is|\s+was|\s+will\s+be)\s+the\s+"
                                 r"(?:earliest|latest|soonest)\b(?=[^?]*\b(?:today|tonight|"
                                 r"tomorrow|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b)",
                                 re.I)),
    # an address a router or a network hands out is a code, no place: "What address did
    # the router give the printer?"
    (AnswerType.IDENTIFIER, re.compile(r"\baddress\b(?=[^?]*\b(?:dhcp|subnet|lan|ip|assign\w*|"
                                       r"hand(?:s|ed)? out|lease[sd]?)\b)|\b(?:router|dhcp|"
                                       r"subnet|ip)\b[^?]*\baddress\b|"
                                       r"\baddress\b[^?]*\brouter\b(?!['’]s)", re.I)),
    # "Which room is the budget meeting in?" asks a place, whatever else it names
    (AnswerType.PLACE, re.compile(r"^\W*(what|which|in which|at which|from which) (?:(?:meeting|conference|"
                                  r"class|waiting|hotel|treatment|exam|court|lecture) )?"
                                  r"(room|city|cities|country|"
                                  r"countries|place|location|address|venue|building|floor|street|town|"
                                  r"region|province|county|district|neighbou?rhood|suburb|"
                                  r"village|island|continent|"
                                  r"restaurant|hotel|platform|library|pharmacy|drugstore|gate|terminal|desk|counter|"
                                  r"dock|pier|berth|booth)\b|"
                                  # "What is the address of …", "What's the gym's address"
                                  r"^\W*(what|which)('s|\s+is|\s+was|\s+are|\s+were)\s+"
                                  r"((the|my|our|your|his|her|their)\s+)?([\w'’-]+\s+){0,2}?"
                                  r"((?<!mail )(?<!ip )(?<!mac )(?<!web )(?<!wallet )address|"
                                  r"location|venue)\b|"
                                  # "What's the conference room called where …", "What is the
                                  # name of the ward …"
                                  r"^\W*what(?:'s|’s|\s+is|\s+was)\s+(?P<named>the\s+name\s+of\s+)?"
                                  r"(?:the|my|our|your)\s+(?:[\w-]+\s+)?(?:room|hall|venue|"
                                  r"building|wing|ward|unit|office|clinic|station|stop)"
                                  r"(?:\s+(?:called|named)\b|(?(named)\b|(?!)))", re.I)),
    # "When did she … to teach how to style …" asks a date, whatever words follow
    (AnswerType.DATE, re.compile(r"^\W*when\b", re.I)),
    # "If the pods crash-loop, how do I back out?"; "What did I tell the sitter to do …",
    # "What should I do if …": what to do is steps
    (AnswerType.STEPS, re.compile(r"(?:^|[,;]\s*)how (do|can|should|would|did) (i|you|we|one)\b|"
                                  r"\bhow to\b|\bsteps?\b|\bprocedure\b|"
                                  r"^\W*what\b[^?]*\b(?:to|should|must|can|could)\s+(?:i\s+|we\s+|"
                                  r"you\s+)?do\b(?!\s+(?:with|about)\b)", re.I)),
    # "What did I type to get …": the command typed
    (AnswerType.COMMAND, re.compile(r"\bcommand\b|\bone-?liner\b|\bwhat (?:(?:do|did|should|must|would|can|"
                                    r"could) (?:i|we|you)|to) (?:type|run|enter|execute|paste)\b",
                                    re.I)),
    (AnswerType.DATE, re.compile(r"^\s*when\b|\b(what|which) (date|day|year|month|week)\b|"
                                 # "Which night does the shutdown start?"
                                 r"\bwhich (night|evening|morning|afternoon|weekend)\s+"
                                 r"(is|was|does|do|did|will|are|were|should|can|could|must)\b|"
                                 r"\bhow long ago\b|\b(since|until|till|by) when\b|"
                                 r"\bwhen (is|was|did|does|will|do|can|could|should|must|are|"
                                 r"were|has|have)\b|\bdue\b|\bdeadline\b|\bcut-?off\b", re.I)),
    # (a measure named after "how much", not a word of the thing asked about further on:
    # "how much did they approve for the water damage")
    (AnswerType.QUANTITY, re.compile(r"\bhow much\b(?!\s+(?:money|cash)\b).*\b(left|stock|"
                                     r"remaining)\b|\bhow much\s+(?:[\w-]+\s+)?(time|water|"
                                     r"flour|sugar|space|memory|storage|data)\b", re.I)),
    (AnswerType.MONEY, re.compile(r"^\s*how much (is|was|were|are|am|did|does|do|will|would|"
                                  r"should|could|has|had)\b|"
                                  r"\bhow much (?:money|cash)\b|"
                                  # "What was I supposed to pay at the desk?", "What do I
                                  # owe?" (not "What did I pay with?": the means)
                                  r"^\W*what\s+(?:am|was|were|did|do|does|will|would|should|"
                                  r"have|had|must)\s+(?:i|we|you|they|he|she)\s+(?:(?:going|"
                                  r"supposed|meant|due|expected|asked|told|having|have|got)\s+"
                                  r"to\s+)?(?:pay|owe|be charged|spend|paid|owed|spent)\b"
                                  r"(?!\s+(?:for|with|by|in|on|through|using|via)\b)|"
                                  r"\bhow much\b.*\b(cost|costs|costing|pay|pays|paying|paid|"
                                  r"price|spend|spent|billing|billed|invoicing|invoiced|"
                                  r"charge|charged|charging|owe|total|fee|worth|budget|earn|salary|"
                                  # a sum of money named: "How much deposit …", "How much
                                  # rent …", "how much of a refund"
                                  r"deposits?|rent|fares?|fines?|tips?|refunds?|bills?|tax|taxes|"
                                  r"premiums?|tuition|dues)\b|"
                                  # the amount is what is asked for, not a word about
                                  # something else ("what was decided in the budget review")
                                  r"^\W*(what|which)('s|\s+is|\s+was|\s+were|\s+are)\s+((the|my|"
                                  r"our|your|his|her|their)\s+)?([\w-]+\s+){0,2}(price|cost|"
                                  r"amount|total|fare|fee|budget|salary|wage|rent|deposit|"
                                  r"refund|bill|paycheck|payout|pay(?!\s+(?:date|day|days|"
                                  r"period|slip|stub|statement|schedule|grade|frequency)\b))\b|"
                                  r"^\W*(what|which)\s+([\w-]+\s+)?(price|cost|amount|total|"
                                  r"fare|fee|budget|salary|wage|rent|deposit|refund)\b|"
                                  r"\bwhat (?:did|does|do|will|would|should)\b.*\bcost\b|"
                                  # "What did the shipments add up to in dollars?"
                                  r"\bin (?:dollars|euros|pounds|francs|kronor|crowns|yen)\b|"
                                  # what a bill or a spending "came to", "amounted to"
                                  r"^\W*what\s+(?:did|does|do|will|would|has|had)\b[^?]*\b"
                                  r"(?:come|came|amount(?:ed)?)\s+to\b|"
                                  # "What did the tourist tax add up to …", "what the fees
                                  # came to": a sum of money named, then what it makes
                                  r"^\W*what\b[^?]*\b(?:tax|taxes|fees?|bills?|charges?|costs?|"
                                  r"rent|fares?|deposits?|premiums?|tips?|surcharges?)\b[^?]*"
                                  r"\b(?:add(?:s|ed)?\s+up\s+to|c[oa]mes?\s+(?:out\s+)?to|"
                                  r"amount(?:s|ed)?\s+to)\b|"
                                  # "the least I have to pay off this month", "the minimum due"
                                  r"\b(?:least|minimum|most|maximum)\s+(?:i|we|you)\s+(?:have|need|"
                                  r"must|got)\s+to\s+(?:pay|repay)\b|\bminimum\s+(?:payment|due|"
                                  r"repayment)\b",
                                  re.I)),
    # A limit or a default is a figure ("the per-IP rate limit": not an IP address)
    (AnswerType.QUANTITY, re.compile(r"^\W*(what|which)('s|\s+is|\s+was|\s+are|\s+were)?\s+"
                                     r"((the|my|our|its|their)\s+)?([\w-]+\s+){0,2}(limit|"
                                     r"default|maximum|minimum|threshold|timeout|quota)s?\b",
                                     re.I)),
    # "Which host …", "What is my recovery email …": the answer is a technical name
    (AnswerType.ITEM, re.compile(
        r"^\W*(?:(?:to|on|in|from|at|for|of|under|with)\s+)?(?:what|which)(?:'s|\s+is|"
        r"\s+was|\s+are|\s+were)?\s+(?:(?:the|my|our|your|his|her|their)\s+)?"
        # "What is the name of the repo …": the repo's name, no person's
        r"(?:name\s+of\s+(?:(?:the|my|our|your|his|her|their|this|that)\s+)?)?"
        rf"(?:[\w-]+\s+){{0,2}}?(?:{_ITEM_WORDS})s?\b", re.I)),
    # "How many rows did it commit": a count, whatever code word it holds
    (AnswerType.QUANTITY, re.compile(r"^\W*how many\b", re.I)),
    (AnswerType.IDENTIFIER, re.compile(rf"\b({_IDENTIFIER_WORDS})\b", re.I)),
    (AnswerType.QUANTITY, re.compile(r"\bhow (many|much|long|old|far|big|often|tall|deep|wide|"
                                     r"high|heavy|large|fast|hot|cold|warm|small|tiny|full|"
                                     r"loud|tight|loose|thick|thin|strong|steep|low|short|"
                                     r"narrow)\b|\b(what|which) (temperature|size|weight|height|"
                                     r"depth|length|width|speed|population|percentage|altitude|"
                                     r"elevation|distance|area|share|proportion|fraction|"
                                     r"capacity|dose|dosage|mark|score|points)\b|"
                                     # "What score did I get …": a mark ("13/20")
                                     r"^\W*what\s+(?:mark|score)s?\s+(?:did|do|does|have|has|was|"
                                     r"were)\b", re.I)),
    (AnswerType.PERSON, re.compile(r"^\s*(who|whom|whose)\b|\bwith whom\b|\bwho (is|was|did|"
                                   r"sent|wrote)\b|\b(what|which) (person|colleague|friend)\b|"
                                   r"\bname of\b", re.I)),
    (AnswerType.PLACE, re.compile(r"^\s*where\b|\bwhere (is|was|did|does|do|will)\b|"
                                  r"\b(what|which) (room|city|country|place|location|address|"
                                  r"venue|building|floor|street|town)\b|"
                                  # "Which Acme store …": a shop, a station, a hotel is a place
                                  r"\b(what|which) (?:[A-Z][\w'’-]*\s+)?(store|shop|pharmacy|"
                                  r"station|airport|hotel|restaurant|clinic|hospital|"
                                  r"campus)\b", re.I)),
]


@dataclass(frozen=True)
class Question:
    text: str
    type: AnswerType
    words: tuple[str, ...]  # the meaningful words, lower-cased
    names: tuple[str, ...]  # the capitalised names it mentions (the subject to find)
    #: Asked in another language, whose capitalised words are not all names (German nouns).
    foreign: bool = False
    #: The language its function words say it is asked in ("en" when none tells).
    lang: str = "en"

    @property
    def forms_compounds(self) -> bool:
        """Does the question's language join words into one ("Parkgenehmigung",
        "vinterdäcken")? The Romance languages do not: there a shared run of letters
        ("macchina", "Pacchipronto") is chance."""
        return self.foreign and self.lang not in _NO_COMPOUNDS


_NO_COMPOUNDS = frozenset({"fr", "es", "it", "pt"})


_NAME = re.compile(r"\b[A-Z][a-zA-Z'’-]+\b")
_OPENING_MARKS = " \t\n¿¡\"'“‘«„([-–—*•"
#: A number of three or more dotted parts: a version ("v2.4.1" is 2.4.1), an address, a
#: date in figures.
DOTTED_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])[vV]?(\d+(?:\.\d+){2,})(?![A-Za-z0-9_]|\.\d)")
#: "right now", "at the moment": when the question is asked, not what it is about
_AT_PRESENT = re.compile(r"\bright now\b|\bat (?:the|this) moment\b|\bat present\b", re.I)
_NOT_NAME_TEXT = (
    "I What When Where Who Whom Whose Which Why How Is Are Was Were Did Does Do Has Have Had "
    "Can Could Will Would Should The A An My In On At Of For To From With And Or"
)
_NOT_NAMES = frozenset(_NOT_NAME_TEXT.split())
#: Question and function words of German, Spanish and French: not the subject asked about.
_FOREIGN_STOPWORD_TEXT = (
    "wann wie wo wer was welche welcher welches wieviel viel viele hoch lautet ist sind war "
    "der die das den dem des ein eine einen einem mein meine meinen meiner ich wir mir uns "
    "und oder im in am an auf zu zum zur von vom bei mit nach für fur um ab es "
    "cuándo cuando cuánto cuanto cuánta qué que quién quien dónde donde cuál cual el la los "
    "las un una de del al y o en es son fue mi mis nos a por para con se lo "
    "quand quel quelle quels quelles qui où ou est sont était le les une des du au aux et "
    "mon ma mes notre nos votre vos leur leurs chez pour avec dans sur ce cette "
    "entro quando quanto chi dove il lo gli della delle del di da va è sono mio mia "
    "che per si cui devo posso potrei mi ti ci ne tra fra alla ai agli alle dal dalla nel "
    "nella sul sulla uno "
    "quem onde como qual os as da do das dos na no em um uma meu minha é são "
    # pronouns and the verbs "to have" and "to be" of the same languages ("Quelle place ai-je")
    "je tu il elle nous vous ils elles ai avons avez ont suis à habe hat haben bin bist "
    "tengo tiene tienen estoy ho ha hanno tenho tem "
    # German modal verbs, as the other languages' are ("Bis wann muss ich …")
    "muss musst müssen musste mussten kann kannst können konnte soll sollst sollen sollte "
    "darf dürfen möchte möchten "
    # how many, in their plurals and in French, and "I want", "I could" ("¿con cuántos días
    # … si quiero …", "combien de nuits")
    "cuántos cuántas cuantos cuantas quantos quantas quanti quante quanta combien "
    "quiero quería quero queria voglio vorrei veux voudrais puedo podría "
    # and "something", "I", "he", "she" ("Eu precisava pagar alguma coisa …")
    "eu ele ela pelo pela algum alguma coisa algo yo él ella alguno alguna io lui lei "
    "qualcosa qualche quelque chose "
    # and their words for "this" ("este mes", "ce mois", "dieser Monat")
    "este esta estos estas esto questo questa questi queste ce cet cette ces dieser diese "
    "dieses diesem diesen isto isso "
    # Dutch, Swedish, Danish, Norwegian and Polish question and function words
    "wanneer hoe laat hoeveel welke welk wie wat waar waarom op naar uit het een aan bij voor "
    "mijn onze ons ik jij wij zijn heb heeft hebben wordt moet kan er deze dit "
    "ze zij hij mij jullie tussen komen komt moeten keer weer haar hem hun "
    "när hur mycket många vilken vilket vilka vem vad varför är jag vi mitt mina vår våra "
    "och på till från för ett ska kan har "
    "hvornår hvor hvem hvad hva hvilken hvilket jeg mig mit mine og af av fra skal "
    "kiedy gdzie kto czy jaki jaka jakie który która które ile jest są mój moja moje się "
    "dla przez oraz mam ma mi mnie żeby aby od we do po za że też której którego którym "
    "jakim jakiej którą jaką jestem jesteś jesteśmy byłem byłam będę "
    # Czech and Slovak
    "kdy kedy kde kdo kto kolik koľko který která které kterou kterém kterého ktorý ktorá "
    "ktoré jaký jaká jaké jakou proč prečo jsem jsi jsme jsou byl byla bylo byli bude budou "
    "mám máme můžu mohu musím musíme smím mně mě můj moje moji náš naše při pro "
    # what a question says in passing: "C'est quand déjà …", "Weißt du noch, wann …"
    "déjà deja encore donc weißt weisst du noch eigentlich nochmal genau laut gemäß etwa "
    # and the little words around the thing asked ("wegen dem neuen Pass", "beim Amt",
    # "måste vi ha kört", "aquele meu número", "c'est combien déjà"): no subject either
    "beim wegen sein seine seinen seinem seiner ihre ihren dort denn schon bitte unser "
    "unsere unseren wird werden wurde wurden worden sich nicht kein keine "
    "måste hade blir blev inte som det dem få "
    "ça faut dois doit vont quoi aquele aquela aquilo deste desta desse dessa foi ser "
    "estar está vai já não ya già jeszcze już nie más"
)
FOREIGN_STOPWORDS = frozenset(_FOREIGN_STOPWORD_TEXT.split())
#: Function words of those languages that are meaningful English words ("met", "van",
#: "var"): dropped only from a question asked in another language.
_FOREIGN_ONLY_STOPWORD_TEXT = ("met van om te var vart mange mye meget "
                               # "to", "with", "still", "now", "if", "about" (Portuguese
                               # and Dutch), "was", "had" and "hours"
                               "pro pra com nog nu sta staat als over ia era eram tinha "
                               "tinham horas hora heure heures uhr uur ore "
                               # and the verbs of "what is … called"
                               "comment appelle appellent llama chama chiama heißt heisst "
                               "heet heten heter hedder nazywa "
                               # French elisions: "C'est", "l'atelier", "qu'il"
                               "c l d j m n s t qu "
                               # Czech and Slovak "to", "it", "that", "the", "with", "on"
                               "tu ten ta to tom ty ve se si na po za u z k v s o co jak je "
                               # Polish "in", "with", "and", "over", "under", "at"
                               "w ze i nad pod przy "
                               # Dutch "against"
                               "tegen "
                               # Swedish "to", "with", "out", "if", "oneself"; German "one",
                               # "so", "also"; Dutch "also", "well", "just", "already"
                               "att med ut om sig man so also ook wel even al hay "
                               # Italian "how" ("Come si chiama …")
                               "come "
                               # Danish and Norwegian "it", "is", "the", "me", "you"
                               "det er den meg deg")
_FOREIGN_ONLY_STOPWORDS = frozenset(_FOREIGN_ONLY_STOPWORD_TEXT.split())


#: Chinese and Japanese question words, cut out of a run of characters (which has no spaces
#: between its words) so they are not taken for what is asked about.
_CJK_QUESTION_WORDS = re.compile(
    r"什么时候|什么|为什么|怎么样|怎么|多少钱|多少|哪里|哪儿|哪天|哪个|几点|几号|几个|是谁|谁|"
    r"何時|何日|何曜日|何人|何個|何ですか|何|いつ|どこ|誰|いくら|どれ|どの|ですか|ますか|"
    # and Korean: when, what, how much, who, where, how many, and a question's endings
    r"언제|무엇|무슨|얼마|누구|누가|어디|몇|뭐|인가요|입니까|이에요|예요|나요|까요")


#: "Yes" and "no" in the question languages, with the function words that tell each language
#: apart: a question asked in Portuguese is classified with Portuguese question words and
#: answered "Não", not "No". (A word two languages share goes to neither, or to the one
#: where a question most often holds it.)
_LANGUAGE_TEXT = {
    "en": ("Yes", "No", "the my what when where who whom which how did does were this that your "
                        "you i i'm it's is are was of for and with"),
    "de": ("Ja", "Nein", "ich mir mich mein meine meinen meiner meinem der das dem den des und "
                         "die im am ist sind war waren wird wurde muss kann soll nicht ein eine einen "
                         "einem für mit bei vom zum zur auf wann wie wo wer welche welcher "
                         "welchem welches gibt noch genau laut"),
    "fr": ("Oui", "Non", "je mon ma mes les des une est sont était pour avec dans sur quel "
                         "quelle quand qui où combien ai-je dois-je puis-je faut-il est-ce du "
                         "au aux m'a j'ai"),
    "es": ("Sí", "No", "yo me mi mis el los las una del al para por con qué cuándo cuánto "
                       "dónde quién cuál cuántos cuántas cómo está hay tengo puedo necesito fue"),
    "it": ("Sì", "No", "io il lo gli della delle una per che quanto dove chi quale è sono "
                       "devo posso c'è ci"),
    "pt": ("Sim", "Não", "eu meu minha os uma do dos das ao pela pelo pro pra com como "
                         "quantos quantas onde quem qual é são ia preciso precisava tenho não "
                         "há você"),
    "nl": ("Ja", "Nee", "ik mijn het een voor met zijn heeft moet wanneer hoeveel welke wie "
                        "wat waar hoe"),
    "sv": ("Ja", "Nej", "jag min mitt mina är har finns ska för med när hur vilken vilket "
                        "vilka vem vad och på till av nu att oss hos något några inte som"),
    "da": ("Ja", "Nej", "jeg mig min mit mine hvad hvornår hvem hvilken hvilket hvilke hvor "
                        "hvordan det den er af og ikke skal kan har nu"),
    "no": ("Ja", "Nei", "jeg meg min mitt mine hva når hvem hvilken hvilket hvilke hvor "
                        "hvordan det den er av og ikke skal kan har nå"),
    "pl": ("Tak", "Nie", "czy jest mój moja dla się mam kiedy gdzie kto ile jaki jaka jakich "
                         "który która mają w z ze"),
    "cs": ("Ano", "Ne", "kdy kde kdo kolik který která které kterou kterém kterého jaký jaká "
                        "jaké proč jsem jsou byl byla bylo bude mám můžu musím mi mě můj moje "
                        "se si ve v je mé"),
    "sk": ("Áno", "Nie", "kedy kde kto koľko ktorý ktorá ktoré ktorú aký aká aké prečo som "
                         "sú bol bola bolo bude mám môžem musím môj moja sa si vo"),
}
_LANGUAGES = {lang: (yes, no, frozenset(words.split()))
              for lang, (yes, no, words) in _LANGUAGE_TEXT.items()}


#: What a question says a value begins or ends with ("the code that starts with 49", "the
#: card ending in 07", "die Nummer, die mit 49 beginnt"), in the question languages.
_EDGE_VALUE = r"[\"'“„«]?(?P<edge>[A-Za-z0-9][A-Za-z0-9-]{0,11})\b"
_STARTS_WITH = re.compile(
    r"\b(?:starts?|starting|begins?|beginning|begint|beginnen|beginnt|anfängt|fängt|commence|"
    r"empieza|comienza|inizia|comincia|começa|börjar|zaczyna\s+się|začíná|start)\s+"
    r"(?:with|met|mit|par|por|con|per|com|på|med|od|na|s)\s+(?:the\s+|de\s+|le\s+)?"
    + _EDGE_VALUE + "|"
    r"\b(?:met|mit)\s+" + _EDGE_VALUE.replace("edge", "before") +
    r"\s+(?:begint|beginnt|anfängt|start)\b", re.I)
_ENDS_WITH = re.compile(
    r"\b(?:ends?|ending|endet|endend|eindigt|termine|terminant|termina|finisce|slutar|"
    r"kończy\s+się|končí)\s+(?:(?:with|in|on|op|met|auf|mit|par|en|con|per|em|com|på|med|"
    r"na)\s+)?(?:the\s+)?" + _EDGE_VALUE + "|"
    r"\b(?:op|auf|mit|met)\s+" + _EDGE_VALUE.replace("edge", "before") +
    r"\s+(?:eindigt|endet)\b", re.I)


def bare_code(text: str) -> str:
    """A code's letters and digits alone, lower-cased ("AB-12 34" is "ab1234")."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def stated_edges(text: str) -> tuple[str, str]:
    """What the question says the value asked begins with and ends with (``bare_code``; ""
    where it says nothing)."""
    def edge(pattern: re.Pattern[str]) -> str:
        m = pattern.search(text)
        said = (m["edge"] or m["before"]) if m else ""
        # a figure or a code, not a word ("starts with the", "ends in May")
        return bare_code(said) if re.search(r"\d", said) else ""
    return edge(_STARTS_WITH), edge(_ENDS_WITH)


def language(text: str) -> str:
    """The language a question is asked in, by its function words ("en" when none tells)."""
    words = re.findall(r"[\w'’-]+", text.lower())
    score, lang = max((sum(w in known for w in words), -n, lang)
                      for n, (lang, (_, _, known)) in enumerate(_LANGUAGES.items()))[::2]
    return lang if score else "en"


def yes_or_no(q: Question, yes: bool) -> str:
    """"Yes" or "No", in the language the question is asked in."""
    yes_word, no_word, _ = _LANGUAGES[q.lang]
    return yes_word if yes else no_word


#: The question words of the other question languages (what, who, which, how, why, how
#: much, when, where): a question holding none asks whether ("A entrega tá confirmada?",
#: "Le colis est arrivé ?"), as they are asked with no verb first.
_FOREIGN_QUESTION_WORDS = re.compile(
    r"\b(?:que|qu['’]|quoi|qui|quel\w*|lequel|laquelle|comment|pourquoi|combien|quand|où|"
    r"qu[ée]|qu[êe]|qui[ée]n\w*|quem|cu[áa]l\w*|qua[il]s?|c[óo]mo|porque|cu[áa]nt\w*|"
    r"cu[áa]ndo|d[óo]nde|che|cosa|chi|quale|come|perch[ée]|quant\w*|quando|dove|onde|"
    r"was|wer|wen|wem|wessen|welch\w*|wie|warum|wieso|weshalb|wann|wo\w*|wat|hoe|waarom|"
    r"wanneer|waar\w*|vad|vem|vilk\w*|hur|varf[öo]r|n[äa]r|var|vart|hva\w*|hvem|hvilk\w*|"
    r"hvor\w*|co|kto|kogo|komu|kt[óo]r\w*|jak\w*|dlaczego|czemu|ile|kiedy|gdzie|kdo|koho|"
    r"kter\w*|ktor\w*|pro[čc]|pre[čc]o|kolik\w*|ko[lľ]k\w*|kdy|kedy|kde|kam)\b", re.I)
_GERMAN_CALLED = re.compile(r"\bwie hei(?:ß|ss)(?:t|en)\b", re.I)
#: "Take-home pay" is what a pay statement calls net pay.
_TAKE_HOME = re.compile(r"\btake[- ]home\b", re.I)


def classify(text: str) -> Question:
    """The question's expected answer type, key words and named subjects."""
    kind = AnswerType.DESCRIPTION
    # A question in another language is read by that language's question words first
    # ("¿Qué día iban a pasar el cargo …" asks a date, not an IBAN), and its "Was" is no
    # English "was" asking whether.
    asked_in = language(text)
    rules = [*_RULES, *_FOREIGN_RULES] if asked_in == "en" else [
        *_FOREIGN_RULES, *(rule for rule in _RULES if rule[0] is not AnswerType.YESNO)]
    foreign = asked_in != "en"
    for candidate, pattern in rules:
        found = pattern.search(text)
        if found and not (asked_in == "de" and found.group(0).lower().endswith("wie")
                          and not _GERMAN_CALLED.search(text)):
            kind, foreign = candidate, foreign or (candidate, pattern) in _FOREIGN_RULES
            break  # (Dutch "wie" is who; German "Wie war …" is how, "Wie heißt …" a name)
    else:
        if (foreign and asked_in in _LANGUAGES and text.rstrip().endswith("?")
                and not _FOREIGN_QUESTION_WORDS.search(text)):
            kind = AnswerType.YESNO  # no question word: it asks whether
    if kind is AnswerType.TIME and foreign and _FOREIGN_DATE.search(text):
        kind = AnswerType.DATE  # "何日の何時", "qué día y a qué hora": the day with its time
    names = []
    for m in _NAME.finditer(text):
        word = re.sub(r"['’]s$", "", m.group(0)).rstrip("'’")  # "Ana's" is Ana, "James" James
        if not text[:m.start()].strip(_OPENING_MARKS):  # (after "¿", "¡", a quote)
            continue  # the first word is capitalised because it starts the question
        if re.split(r"['’]", word)[0] in _NOT_NAMES or word.lower() in MONTHS or (
                word.lower() in WEEKDAYS):  # "I'm", "I've" are no names
            continue
        names.append(word)
    # a version or an address is one word ("7.4.2", "10.0.4.2"), not its figures
    dotted = DOTTED_NUMBER.findall(text.lower())
    plain = _AT_PRESENT.sub(" ", DOTTED_NUMBER.sub(" ", text))
    plain = _TAKE_HOME.sub("net", plain)
    stop = FOREIGN_STOPWORDS | _FOREIGN_ONLY_STOPWORDS if foreign else FOREIGN_STOPWORDS
    words = [piece for w in query_words(plain) if w not in stop
             for piece in _CJK_QUESTION_WORDS.split(w) if piece] + dotted
    return Question(text, kind, tuple(words or query_words(text)), tuple(dict.fromkeys(names)),
                    foreign, asked_in)
