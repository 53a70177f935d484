"""Facts about the Hub datasets the snapshot's models name, from which `build_hf_dataset_snapshot.py`
writes `snapshot/hf/api/datasets/`.

One row per dataset id as the model tags spell it (`dataset:<id>`). The rows were written from the
maintainers' knowledge of these public datasets and cross-checked against stored copies of their Hub
pages where those were at hand; they were not recorded from the live API. Where a fact was uncertain
it was left out. `snapshot/hf/DATASETS.md` says which values are facts and which are placeholders.

Columns of D(): requested id, then keywords:
- on_hub: False when the Hub answers 404 (not a Hugging Face dataset); such rows get no file.
- moved_to: the repository the Hub redirects the requested id to (its `id` in the response).
- rename_unknown: a legacy id whose new home (if any) is not known; the file keeps the requested id.
- lic: a Hub license id, or a list of them when the card lists several.
- lang, tasks, task_ids: the card's `language`, `task_categories`, `task_ids` (languages are left out
  for corpora with dozens of languages rather than listed partially).
- size: one `size_categories` bucket (the card's, or the Hub's computed one), only when known.
- pretty, pwc: `pretty_name` and `paperswithcode_id`.
- gated: False, "auto" or "manual".
- created: "YYYY-MM" (placeholder precision; "2022-03" = predates the Hub's 2022 migration), None when
  the id is not on the Hub.
- tier: 1-5, scales the illustrative download/like counters only.
- modality, tags, arxiv: extra Hub tags (`modality:x`, card tags, `arxiv:x`).
- files: data files next to README.md and .gitattributes, listed only where the layout is known.
- no_card: the repository has no README (empty cardData, no README.md sibling).
- about: a one-line description written for the snapshot.
"""

ROWS = []


def D(requested, *, on_hub=True, moved_to=None, rename_unknown=False, lic=None, lang=(), tasks=(), task_ids=(),
      size=None, pretty=None, pwc=None, gated=False, created="2022-03", tier=2, modality=(), tags=(), arxiv=(),
      files=(), no_card=False, about=""):
    ROWS.append(dict(requested=requested, on_hub=on_hub, moved_to=moved_to, rename_unknown=rename_unknown,
                     license=lic, languages=list(lang), task_categories=list(tasks), task_ids=list(task_ids),
                     size_category=size, pretty_name=pretty, paperswithcode_id=pwc, gated=gated,
                     created=created if on_hub else None, tier=tier, modality=list(modality), tags=list(tags),
                     arxiv=list(arxiv), files=list(files), no_card=no_card, about=about))


def GONE(requested, about):
    D(requested, on_hub=False, about=about)


EN = ("en",)
LM = ("text-generation", "fill-mask")
LM_IDS = ("language-modeling", "masked-language-modeling")
NLI = ("natural-language-inference", "multi-input-text-classification")

# --- legacy canonical ids the Hub redirects to an organisation -----------------------------------
D("bookcorpus", moved_to="bookcorpus/bookcorpus", lic="unknown", lang=EN, tasks=LM, task_ids=LM_IDS,
  size="10M<n<100M", pretty="BookCorpus", pwc="bookcorpus", tier=4, arxiv=("2105.05241",), files=("bookcorpus.py",),
  about="Sentences from several thousand self-published books, the classic companion of Wikipedia for pre-training.")
D("c4", moved_to="legacy-datasets/c4", lic="odc-by", lang=EN, tasks=LM, task_ids=LM_IDS, size="100M<n<1B",
  pretty="C4", pwc="c4", tier=3, arxiv=("1910.10683",), files=("c4.py",),
  about="The original loading script for the Colossal Clean Crawled Corpus; the data itself lives in allenai/c4.")
D("cc100", moved_to="statmt/cc100", lic="unknown", tasks=LM, task_ids=LM_IDS, size="10M<n<100M", pretty="CC100",
  pwc="cc100", tier=3, arxiv=("1911.02116", "1911.00359"), files=("cc100.py",),
  about="Monolingual web text in about a hundred languages, extracted from Common Crawl for XLM-R.")
D("cnn_dailymail", moved_to="abisee/cnn_dailymail", lic="apache-2.0", lang=EN, tasks=("summarization",),
  task_ids=("news-articles-summarization",), size="100K<n<1M", pretty="CNN / Daily Mail", pwc="cnn-daily-mail-1",
  tier=4, about="News articles paired with their highlight bullet points, used for abstractive summarization.")
D("code_search_net", moved_to="code-search-net/code_search_net", lic="other", lang=("code",), tasks=LM,
  task_ids=LM_IDS, size="100K<n<1M", pretty="CodeSearchNet", pwc="codesearchnet", tier=3, arxiv=("1909.09436",),
  files=("code_search_net.py",), about="Functions with their documentation in six programming languages.")
D("common_voice", moved_to="legacy-datasets/common_voice", lic="cc0-1.0", tasks=("automatic-speech-recognition",),
  size="100K<n<1M", pretty="Common Voice", pwc="common-voice", tier=3, files=("common_voice.py",),
  about="The legacy loading script for an early Common Voice release; newer releases live under mozilla-foundation.")
D("conll2003", moved_to="eriktks/conll2003", lic="other", lang=EN, tasks=("token-classification",),
  task_ids=("named-entity-recognition", "part-of-speech"), size="10K<n<100K", pretty="CoNLL-2003",
  pwc="conll-2003", tier=4, files=("conll2003.py",),
  about="Reuters news sentences tagged with persons, organisations, locations and miscellaneous entities.")
D("eli5", moved_to="defunct-datasets/eli5", lic="unknown", lang=EN, tasks=("text2text-generation",),
  task_ids=("abstractive-qa", "open-domain-abstractive-qa"), size="100K<n<1M", pretty="ELI5", pwc="eli5", tier=2,
  arxiv=("1907.09190", "1904.04047"), files=("eli5.py",),
  about="Long-form answers to questions from an explain-it-simply forum; marked defunct since its source closed.")
D("fever", moved_to="fever/fever", lang=EN, tasks=("text-classification",), size="100K<n<1M", pretty="FEVER",
  pwc="fever", tier=3, about="Claims written from Wikipedia sentences, labelled as supported, refuted or unverifiable.")
D("glue", moved_to="nyu-mll/glue", lic="other", lang=EN, tasks=("text-classification",),
  task_ids=("acceptability-classification", "natural-language-inference", "semantic-similarity-scoring",
            "sentiment-classification", "text-scoring"),
  pretty="GLUE (General Language Understanding Evaluation benchmark)", pwc="glue", tier=5,
  about="Nine English sentence and sentence-pair understanding tasks bundled as one benchmark.")
D("go_emotions", moved_to="google-research-datasets/go_emotions", lic="apache-2.0", lang=EN,
  tasks=("text-classification",), task_ids=("multi-class-classification", "multi-label-classification"),
  size="100K<n<1M", pretty="GoEmotions", pwc="goemotions", tier=4, modality=("tabular", "text"), tags=("emotion",),
  arxiv=("2005.00547",), about="Reddit comments annotated with 27 emotion categories plus neutral.")
D("gooaq", moved_to="allenai/gooaq", lic="apache-2.0", lang=EN, tasks=("question-answering",),
  task_ids=("open-domain-qa",), size="1M<n<10M", pretty="GooAQ: Open Question Answering with Diverse Answer Types",
  pwc="gooaq", tier=2, arxiv=("2104.08727",), files=("gooaq.py",),
  about="Search-engine autocomplete questions with the short and long answers shown for them.")
D("imagenet-1k", moved_to="ILSVRC/imagenet-1k", lic="other", lang=EN, tasks=("image-classification",),
  task_ids=("multi-class-image-classification",), size="1M<n<10M", pretty="ImageNet", pwc="imagenet-1k-1",
  gated="auto", created="2022-05", tier=5,
  about="The ILSVRC 2012 subset of ImageNet: labelled photographs in a thousand object classes.")
D("librispeech_asr", moved_to="openslr/librispeech_asr", lic="cc-by-4.0", lang=EN,
  tasks=("automatic-speech-recognition", "audio-classification"), task_ids=("speaker-identification",),
  size="100K<n<1M", pretty="LibriSpeech", pwc="librispeech-1", tier=5, files=("librispeech_asr.py",),
  about="About a thousand hours of read English audiobook speech with transcripts.")
D("mc4", moved_to="legacy-datasets/mc4", lic="odc-by", tasks=LM, task_ids=LM_IDS, pretty="mC4", pwc="mc4", tier=3,
  arxiv=("1910.10683",), files=("mc4.py",),
  about="The legacy loading script for the multilingual cleaned Common Crawl corpus used to train mT5.")
D("ms_marco", moved_to="microsoft/ms_marco", lang=EN, size="1M<n<10M", pwc="ms-marco", tier=4, modality=("text",),
  arxiv=("1611.09268",), about="Real search queries with retrieved passages and human-written answers.")
D("multi_nli", moved_to="nyu-mll/multi_nli", lic=["cc-by-3.0", "cc-by-sa-3.0", "mit", "other"], lang=EN,
  tasks=("text-classification",), task_ids=NLI, size="100K<n<1M", pretty="Multi-Genre Natural Language Inference",
  pwc="multinli", tier=4, modality=("text",),
  about="Sentence pairs from ten genres of written and spoken English labelled for entailment.")
D("natural_questions", moved_to="google-research-datasets/natural_questions", lic="cc-by-sa-3.0", lang=EN,
  tasks=("question-answering",), task_ids=("open-domain-qa",), pretty="Natural Questions", pwc="natural-questions",
  tier=4, about="Real search questions answered with long and short spans from Wikipedia pages.")
D("openwebtext", moved_to="Skylion007/openwebtext", lic="cc0-1.0", lang=EN, tasks=LM, task_ids=LM_IDS,
  size="1M<n<10M", pretty="OpenWebText", pwc="openwebtext", tier=4,
  about="An open re-creation of the WebText corpus: web pages linked from well-rated Reddit posts.")
D("oscar", moved_to="oscar-corpus/oscar", lic="cc0-1.0", tasks=LM, task_ids=LM_IDS, pretty="OSCAR", pwc="oscar",
  tier=3, arxiv=("2010.14571",), files=("generate_dummy.py", "oscar.py"),
  about="Language-classified Common Crawl text in more than 160 languages (the 2019 release).")
D("samsum", moved_to="Samsung/samsum", lic="cc-by-nc-nd-4.0", lang=EN, tasks=("summarization",), size="10K<n<100K",
  pretty="SAMSum Corpus", pwc="samsum-corpus", tier=4, tags=("conversations-summarization",), arxiv=("1911.12237",),
  about="Messenger-style chat dialogues with short human-written summaries.")
D("scene_parse_150", moved_to="zhoubolei/scene_parse_150", lic="bsd-3-clause", lang=EN,
  tasks=("image-segmentation",), task_ids=("instance-segmentation",), size="10K<n<100K",
  pretty="MIT Scene Parsing Benchmark", tier=3, tags=("scene-parsing",), arxiv=("1608.05442",),
  files=("scene_parse_150.py",), about="ADE20K scenes with pixel labels for 150 object and stuff categories.")
D("search_qa", moved_to="kyunghyuncho/search_qa", lic="unknown", lang=EN, tasks=("question-answering",),
  task_ids=("extractive-qa",), size="100K<n<1M", tier=2, arxiv=("1704.05179",), files=("search_qa.py",),
  about="Quiz-show questions paired with search-engine result snippets that may contain the answer.")
D("snli", moved_to="stanfordnlp/snli", lic="cc-by-sa-4.0", lang=EN, tasks=("text-classification",), task_ids=NLI,
  size="100K<n<1M", pretty="Stanford Natural Language Inference", pwc="snli", tier=4, modality=("text",),
  arxiv=("1508.05326",), about="Image-caption premises with crowd-written hypotheses labelled for entailment.")
D("squad", moved_to="rajpurkar/squad", lic="cc-by-sa-4.0", lang=EN, tasks=("question-answering",),
  task_ids=("extractive-qa",), size="10K<n<100K", pretty="SQuAD", pwc="squad", tier=5,
  about="Crowd-written questions on Wikipedia paragraphs, each answered by a span of the paragraph.")
D("squad_v2", moved_to="rajpurkar/squad_v2", lic="cc-by-sa-4.0", lang=EN, tasks=("question-answering",),
  task_ids=("open-domain-qa", "extractive-qa"), size="100K<n<1M", pretty="SQuAD2.0", pwc="squad", tier=4,
  about="SQuAD extended with adversarial questions that the paragraph cannot answer.")
D("sst2", moved_to="stanfordnlp/sst2", lic="unknown", lang=EN, tasks=("text-classification",),
  task_ids=("sentiment-classification",), size="10K<n<100K", pretty="Stanford Sentiment Treebank v2", tier=4,
  modality=("text",), about="Movie-review sentences and phrases labelled positive or negative.")
D("taskmaster2", moved_to="google-research-datasets/taskmaster2", lic="cc-by-4.0", lang=EN,
  tasks=("text-generation", "fill-mask"), task_ids=("dialogue-modeling",), size="1K<n<10K", pretty="Taskmaster-2",
  tier=2, arxiv=("1909.05358",), files=("taskmaster2.py",),
  about="Spoken-style task-oriented dialogues across seven domains such as flights, food and movies.")
D("trivia_qa", moved_to="mandarjoshi/trivia_qa", lic="unknown", lang=EN,
  tasks=("question-answering", "text2text-generation"),
  task_ids=("open-domain-qa", "open-domain-abstractive-qa", "extractive-qa", "abstractive-qa"), size="100K<n<1M",
  pretty="TriviaQA", pwc="triviaqa", tier=4, modality=("text",), arxiv=("1705.03551",),
  about="Trivia questions with independently gathered evidence documents from the web and Wikipedia.")
D("tweet_eval", moved_to="cardiffnlp/tweet_eval", lic="unknown", lang=EN, tasks=("text-classification",),
  task_ids=("intent-classification", "multi-class-classification", "sentiment-classification"), size="100K<n<1M",
  pretty="TweetEval", pwc="tweeteval", tier=4, modality=("text",), arxiv=("2010.12421",),
  about="Seven tweet classification tasks, from sentiment and emotion to irony and hate speech.")
D("wikipedia", moved_to="legacy-datasets/wikipedia", lic=["cc-by-sa-3.0", "gfdl"], tasks=LM, task_ids=LM_IDS,
  pretty="Wikipedia", tier=5, files=("dataset_infos.json", "wikipedia.py"),
  about="Cleaned article text from Wikipedia dumps in many languages (the legacy script-based version).")
D("yahoo_answers_topics", moved_to="community-datasets/yahoo_answers_topics", lic="unknown", lang=EN,
  tasks=("text-classification",), task_ids=("topic-classification",), size="1M<n<10M",
  tier=3, modality=("text",),
  about="Question titles, bodies and best answers from a Q&A site, labelled with ten topics.")

# --- a repository renamed by its owner -----------------------------------------------------------
D("laion/laion-coco", moved_to="laion/relaion-coco", size="100M<n<1B", gated="auto", created="2022-09", tier=3,
  modality=("image", "tabular", "text"), no_card=True,
  about="Web images with captions generated by a captioning model, re-released after a safety filtering pass.")

# --- legacy id whose new home is not known ---------------------------------------------------------
D("s2orc", rename_unknown=True, lic="cc-by-2.0", lang=EN, tasks=("text-generation", "fill-mask", "text-classification"),
  task_ids=("language-modeling", "masked-language-modeling", "multi-class-classification",
            "multi-label-classification"),
  size="100M<n<1B", pretty="S2ORC", pwc="s2orc", tier=2,
  about="Metadata, abstracts and citation links for scholarly papers from the Semantic Scholar corpus.")

# --- namespaced datasets, served under the requested id ------------------------------------------
D("EleutherAI/pile", lic="other", lang=EN, tasks=LM, task_ids=LM_IDS, size="100B<n<1T",
  pwc="the-pile", tier=3, arxiv=("2201.07311", "2101.00027"), files=("pile.py",),
  about="An 800 GB English corpus mixing 22 sources; the script points at hosting that is no longer online.")
D("HuggingFaceH4/ultrachat_200k", lic="mit", lang=EN, tasks=("text-generation",), size="100K<n<1M",
  pretty="UltraChat 200k", created="2023-10", tier=4, modality=("text",), arxiv=("2305.14233",),
  about="A filtered subset of synthetic multi-turn chats, split for supervised fine-tuning and generation.")
D("HuggingFaceH4/ultrafeedback_binarized", lic="mit", lang=EN, tasks=("text-generation",), size="100K<n<1M",
  pretty="UltraFeedback Binarized", created="2023-10", tier=4, modality=("tabular", "text"), arxiv=("2310.01377",),
  about="Prompts with a preferred and a rejected completion, derived from AI-rated feedback, for DPO.")
D("HuggingFaceM4/OBELICS", lic="cc-by-4.0", lang=EN, size="100M<n<1B", pretty="OBELICS", created="2023-05", tier=3,
  modality=("text",), arxiv=("2306.16527",),
  about="Interleaved image-text web documents from Common Crawl, with images referenced by URL.")
D("HuggingFaceM4/the_cauldron", size="1M<n<10M", created="2024-04", tier=4, modality=("image", "text"),
  about="Fifty vision-language training sets converted to one question-answer conversation format.")
D("HuggingFaceTB/smollm-corpus", lic="odc-by", lang=EN, size="100M<n<1B", created="2024-07",
  tier=4, modality=("tabular", "text"),
  about="Synthetic textbooks, educational web pages and educational Python code for training small models.")
D("Intel/orca_dpo_pairs", lic="apache-2.0", lang=EN, size="10K<n<100K", created="2023-09", tier=3,
  about="Instruction prompts with a preferred and a rejected answer, built from an Orca-style collection.")
D("Jean-Baptiste/wikiner_fr", lang=("fr",), tasks=("token-classification",), size="100K<n<1M", tier=2,
  about="French Wikipedia sentences with automatically derived named-entity tags.")
D("Open-Orca/OpenOrca", lic="mit", lang=EN,
  tasks=("text-classification", "token-classification", "table-question-answering", "question-answering",
         "zero-shot-classification", "summarization", "feature-extraction", "text-generation",
         "text2text-generation"),
  size="1M<n<10M", pretty="OpenOrca", created="2023-06", tier=4, modality=("text",),
  arxiv=("2306.02707", "2301.13688", "2302.13971"),
  files=("1M-GPT4-Augmented.parquet", "3_5M-GPT3_5-Augmented.parquet", "OpenOrcaLogo.png"),
  about="FLAN prompts answered by large chat models with step-by-step explanations.")
D("allenai/c4", lic="odc-by", tasks=LM, task_ids=LM_IDS, pretty="C4", pwc="c4", tier=5, modality=("text",),
  arxiv=("1910.10683",),
  about="The processed Colossal Clean Crawled Corpus in its English variants plus the multilingual mC4 files.")
D("allenai/dolma", lic="odc-by", lang=EN, tasks=("text-generation",), size="n>1T", pretty="Dolma", created="2023-08",
  tier=4, tags=("language-modeling", "casual-lm", "llm"), arxiv=("2402.00159",), files=("LICENSE.md", "dolma.py"),
  about="A three-trillion-token open pre-training mix of web, papers, code, books and encyclopedia text.")
D("allenai/olmo-mix-1124", lic="odc-by", lang=EN, tasks=("text-generation",), size="10M<n<100M",
  created="2024-11", tier=3, modality=("text",),
  about="The stage-one pre-training mix used for the November 2024 OLMo 2 models.")
D("allenai/ultrafeedback_binarized_cleaned", lic="mit", lang=EN, created="2023-11", tier=2,
  about="UltraFeedback preference pairs with contaminated and malformed prompts removed.")
D("argilla/distilabel-intel-orca-dpo-pairs", lic="apache-2.0", lang=EN, size="10K<n<100K", created="2024-01", tier=3,
  about="The Orca DPO pairs re-rated with a language model, with ties and weak pairs flagged.")
D("bigcode/starcoderdata", lic="other", lang=("code",), tasks=("text-generation",), size="100M<n<1B",
  created="2023-04", tier=3, modality=("text",),
  about="Permissively licensed source code, notebooks, issues and commits used to pre-train StarCoder.")
D("bigscience/xP3", lic="apache-2.0", tasks=("other",), size="100M<n<1B", pretty="xP3", created="2022-10", tier=3,
  arxiv=("2211.01786",), about="Prompted training tasks in 46 languages, used to fine-tune BLOOMZ and mT0.")
D("c-s-ale/alpaca-gpt4-data", lang=EN, size="10K<n<100K", created="2023-04", tier=2,
  about="Alpaca-style instructions re-answered by a GPT-4-class model.")
D("cerebras/SlimPajama-627B", lang=EN, tasks=("text-generation",), pretty="SlimPajama-627B", created="2023-06",
  tier=4, arxiv=("2306.01116", "2302.13971"),
  about="A deduplicated and cleaned version of the RedPajama corpus, 627 billion tokens.")
D("embedding-data/PAQ_pairs", lang=EN, tasks=("sentence-similarity",), size="10M<n<100M", created="2022-07", tier=2,
  about="Generated question-answer pairs formatted for training sentence embeddings.")
D("embedding-data/QQP", lang=EN, tasks=("sentence-similarity",), size="100K<n<1M", created="2022-07", tier=2,
  about="Duplicate question pairs from a Q&A site, formatted for training sentence embeddings.")
D("embedding-data/sentence-compression", lang=EN, tasks=("sentence-similarity",), size="100K<n<1M",
  created="2022-07", tier=2, about="Sentences paired with their compressed forms, used as embedding training pairs.")
D("facebook/anli", lic="cc-by-nc-4.0", lang=EN, tasks=("text-classification",), task_ids=NLI, size="100K<n<1M",
  pretty="Adversarial NLI", pwc="anli", tier=3, modality=("text",), arxiv=("1910.14599",),
  about="Entailment examples written in three rounds to fool strong models.")
D("facebook/pmd", lang=EN, size="10M<n<100M", created="2022-06", tier=2,
  about="Public image-text pairs gathered from several open sources, used to train FLAVA.")
D("flax-sentence-embeddings/stackexchange_xml", lang=EN, tier=2,
  about="Question titles, bodies and answers from Stack Exchange sites, used for embedding training.")
D("google/fleurs", lic="cc-by-4.0", tasks=("automatic-speech-recognition",), size="10K<n<100K", created="2022-04",
  tier=4, modality=("audio", "text"), tags=("speech-recognition",), arxiv=("2205.12446", "2106.03193"),
  about="Read speech for the same sentences in about a hundred languages, for speech recognition and language ID.")
D("liuhaotian/LLaVA-Instruct-150K", lic="cc-by-4.0", lang=EN,
  tasks=("visual-question-answering", "question-answering"), size="100K<n<1M", pretty="LLaVA Visual Instruct 150K",
  created="2023-04", tier=4, about="Machine-generated multimodal instruction conversations about COCO images.")
D("mlabonne/chatml_dpo_pairs", lang=EN, size="10K<n<100K", created="2023-11", tier=2,
  about="Orca DPO preference pairs reformatted with the ChatML template.")
D("mozilla-foundation/common_voice_6_0", lic="cc0-1.0", tasks=("automatic-speech-recognition",),
  pretty="Common Voice Corpus 6.0", gated="auto", tier=3, modality=("audio", "text"), arxiv=("1912.06670",),
  about="Crowd-recorded, crowd-validated read speech in sixty languages (release 6.0).")
D("nvidia/HelpSteer2", lic="cc-by-4.0", lang=EN, size="10K<n<100K", created="2024-06", tier=3,
  modality=("tabular", "text"), tags=("human-feedback",), arxiv=("2406.08673",),
  files=("train.jsonl.gz", "validation.jsonl.gz"),
  about="Prompt-response pairs rated by people for helpfulness, correctness, coherence, complexity and verbosity.")
D("papluca/language-identification", tasks=("text-classification",), size="10K<n<100K", tier=2,
  lang=("ar", "bg", "de", "el", "en", "es", "fr", "hi", "it", "ja", "nl", "pl", "pt", "ru", "sw", "th", "tr", "ur",
        "vi", "zh"),
  about="Short texts in twenty languages labelled with their language.")
D("pixparse/idl-wds", lic="other", created="2024-02", tier=2,
  about="Scanned industry documents with OCR text and layout, packed as WebDataset shards.")
D("pixparse/pdfa-eng-wds", lic="other", lang=EN, created="2024-01", tier=2,
  about="English PDF pages rendered to images with their OCR text and layout, packed as WebDataset shards.")
D("princeton-nlp/gemma2-ultrafeedback-armorm", lang=EN, size="10K<n<100K", created="2024-07", tier=2,
  about="UltraFeedback prompts answered by Gemma 2 and ranked by a reward model, for preference optimization.")
D("svakulenk0/qrecc", lang=EN, tier=2,
  about="Conversational questions with their self-contained rewrites and answers from the web.")
D("tiiuae/falcon-refinedweb", lic="odc-by", lang=EN, tasks=("text-generation",), size="100M<n<1B",
  pretty="Falcon RefinedWeb", created="2023-05", tier=4, modality=("text",),
  arxiv=("2306.01116", "2203.15556", "2107.06499"),
  about="A filtered, deduplicated English web corpus from Common Crawl; this is the public extract.")
D("timdettmers/openassistant-guanaco", lic="apache-2.0", size="1K<n<10K", created="2023-05", tier=3,
  about="The highest-rated conversation paths from an open assistant dataset, used to train Guanaco.")
D("wendlerc/RenderedText", lang=EN, size="10M<n<100M", created="2023-06", tier=2,
  about="Synthetic images of handwritten-style text rendered in 3D scenes, with the text as label.")
D("yahma/alpaca-cleaned", lic="cc-by-4.0", lang=EN, tasks=("text-generation",), size="10K<n<100K",
  pretty="Alpaca-Cleaned", created="2023-03", tier=4,
  about="The Alpaca instruction data with hallucinated, empty and malformed answers fixed.")

# --- ids that are not Hugging Face datasets (the Hub answers 404) --------------------------------
GONE("CLUECorpusSmall", "A Chinese pre-training corpus distributed by the CLUE benchmark, not through the Hub.")
GONE("OPUS", "The OPUS parallel-corpus collection; the Hub has per-corpus datasets, none with this id.")
GONE("OpenLegalData", "German court decisions from the Open Legal Data project, published on its own site.")
GONE("bigcode/the-stack-v2-train", "No such repository; The Stack v2 training sets are published as "
     "bigcode/the-stack-v2-train-full-ids and bigcode/the-stack-v2-train-smol-ids.")
GONE("coco", "There was never a canonical `coco` dataset (the pull request adding one was closed); "
     "COCO copies live under organisation namespaces.")
GONE("flores-200", "The FLORES-200 benchmark is released by Meta outside the Hub; there is no repository with this id.")
GONE("imagenet-21k", "The full ImageNet (21k classes) is not hosted under this id.")
GONE("imagenet-22k", "The full ImageNet (22k classes) is not hosted under this id.")
GONE("libri-light", "Libri-Light is distributed by Meta outside the Hub.")
GONE("libritts", "There was never a canonical `libritts` dataset; community copies live under user namespaces.")
GONE("lvd-142m", "The curated image set used to train DINOv2; never released.")
GONE("webli", "Google's internal image-text collection; never released.")
